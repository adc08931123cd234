package io.mhaserverless.node;

import io.mhaserverless.node.binlog.SourceCoordinate;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** What the tests read from the sandbox servers: binlog and replica coordinates, waits. */
final class Servers {

    private Servers() {
    }

    static SourceCoordinate masterStatus(ServerNode server) {
        try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new SourceCoordinate(rs.getString("File"), rs.getLong("Position"));
        } catch (SQLException e) {
            throw new IllegalStateException(server + ": " + e.getMessage(), e);
        }
    }

    /** Relay_Master_Log_File : Exec_Master_Log_Pos. */
    static SourceCoordinate executed(ServerNode replica) {
        return new SourceCoordinate(replica.replicaStatus("Relay_Master_Log_File").orElseThrow(),
                Long.parseLong(replica.replicaStatus("Exec_Master_Log_Pos").orElseThrow()));
    }

    /** Master_Log_File : Read_Master_Log_Pos. */
    static SourceCoordinate received(ServerNode replica) {
        return new SourceCoordinate(replica.replicaStatus("Master_Log_File").orElseThrow(),
                Long.parseLong(replica.replicaStatus("Read_Master_Log_Pos").orElseThrow()));
    }

    /** Waits until the replica's SQL thread has executed everything its IO thread received. */
    static void drained(ServerNode replica) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!executed(replica).equals(received(replica))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica + " did not apply its relay log: executed " + executed(replica)
                        + ", received " + received(replica));
            }
            sleep(20);
        }
    }

    /** Waits until the replica received everything the master binlogged. */
    static void receivedAll(ServerNode replica, ServerNode master) {
        SourceCoordinate target = masterStatus(master);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!received(replica).equals(target)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica + " did not receive up to " + target + ": " + received(replica));
            }
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path relayIndex(ServerNode replica) {
        return replica.dataDir().resolve("relay-bin.index");
    }

    /** A 0600 credentials file with the sandbox admin account. */
    static Path credentialsFile(Path dir) {
        return credentialsFile(dir, SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD);
    }

    static Path credentialsFile(Path dir, String user, String password) {
        try {
            Path f = Files.createTempFile(dir, "credentials", ".properties",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            java.util.Properties p = new java.util.Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            try (var out = Files.newOutputStream(f)) {
                p.store(out, null);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inserts {@code rows} rows of about 300 bytes each, one transaction per statement of 10 rows. */
    static void insertRows(ServerNode master, String table, int firstId, int rows) {
        try (Connection c = master.connect(); Statement s = c.createStatement()) {
            for (int id = firstId; id < firstId + rows; id += 10) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
                for (int i = id; i < Math.min(id + 10, firstId + rows); i++) {
                    sql.append(i == id ? "" : ",").append("(").append(i).append(", REPEAT('").append((char) ('a' + i % 26))
                            .append("', 300))");
                }
                s.execute(sql.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(master + ": " + e.getMessage(), e);
        }
    }
}
