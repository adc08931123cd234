package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running sandbox: real mariadbd processes on loopback, {@code db1} the master, the others its
 * replicas. Closing it kills every process and deletes every file it made.
 */
public final class Sandbox implements AutoCloseable {

    private static final Duration IO_THREAD_TIMEOUT = Duration.ofSeconds(30);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final SandboxSpec spec;
    private final Path dir;
    private final List<ServerNode> nodes;

    private Sandbox(SandboxSpec spec, Path dir, List<ServerNode> nodes) {
        this.spec = spec;
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /** Starts the servers in parallel and wires the replicas to {@code db1}. */
    public static Sandbox start(SandboxSpec spec) {
        MariaDbInstallation mariadb = MariaDbInstallation.locate();
        Path template = DataDirTemplate.get(mariadb);
        Path dir = ProcessRegistry.get().jvmDirectory().resolve("sandbox-" + SEQUENCE.incrementAndGet());
        List<ServerNode> nodes = new ArrayList<>();
        for (int i = 1; i <= spec.replicas() + 1; i++) {
            Path nodeDir = dir.resolve("db" + i);
            try {
                Files.createDirectories(nodeDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            nodes.add(new ServerNode(mariadb, "db" + i, i, nodeDir, spec.optionsFor(i)));
        }
        Sandbox topology = new Sandbox(spec, dir, nodes);
        try {
            CompletableFuture.allOf(nodes.stream()
                    .map(n -> CompletableFuture.runAsync(() -> n.create(template)))
                    .toArray(CompletableFuture[]::new)).join();
            for (ServerNode replica : topology.replicas()) {
                topology.replicate(replica, topology.master());
            }
            // START SLAVE returns while the IO thread is still "Connecting": a test that reads the
            // topology at once must find it replicating, not racing its start
            for (ServerNode replica : topology.replicas()) {
                awaitIoThreadRunning(replica, IO_THREAD_TIMEOUT);
            }
            return topology;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    public SandboxSpec spec() {
        return spec;
    }

    public ReplicationMode mode() {
        return spec.mode();
    }

    public Path directory() {
        return dir;
    }

    public List<ServerNode> nodes() {
        return nodes;
    }

    /** The server that was started as master; after a failover it is usually dead. */
    public ServerNode master() {
        return nodes.get(0);
    }

    public List<ServerNode> replicas() {
        return nodes.subList(1, nodes.size());
    }

    public ServerNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server " + name + " in " + nodes));
    }

    private static void awaitIoThreadRunning(ServerNode replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!replica.replicaStatus("Slave_IO_Running").orElse("").equals("Yes")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica + ": the IO thread is not running after " + timeout + ": "
                        + replica.replicaStatus("Last_IO_Error").orElse("(no replica status)"));
            }
            ServerNode.sleep(20);
        }
    }

    /** Points {@code replica} at {@code source} from the start of its history, in this topology's mode, read_only. */
    public void replicate(ServerNode replica, ServerNode source) {
        String common = "MASTER_HOST='" + source.host() + "', MASTER_PORT=" + source.port()
                + ", MASTER_USER='" + SandboxCredentials.REPL_USER + "', MASTER_PASSWORD='" + SandboxCredentials.REPL_PASSWORD
                + "', MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1";
        String position = spec.mode() == ReplicationMode.GTID
                ? ", MASTER_USE_GTID=slave_pos"
                : ", MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4, MASTER_USE_GTID=no";
        if (spec.mode() == ReplicationMode.GTID) {
            // empty on a fresh replica; a former master resumes from what its own binlog holds
            replica.execute("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos");
        }
        replica.execute("CHANGE MASTER TO " + common + position, "SET GLOBAL read_only=ON", "START SLAVE");
    }

    /**
     * Waits until every running replica has applied everything {@code source} has binlogged.
     * Replicas whose threads are stopped on purpose would time out, so pass only the ones expected to follow.
     */
    public void sync(ServerNode source, List<ServerNode> followers, Duration timeout) {
        if (spec.mode() == ReplicationMode.GTID) {
            String pos = source.queryString("SELECT @@gtid_binlog_pos").orElse("");
            for (ServerNode r : followers) {
                waitFor(r, "SELECT MASTER_GTID_WAIT(?, ?)", timeout, pos);
            }
        } else {
            String[] status = binlogStatus(source);
            for (ServerNode r : followers) {
                waitFor(r, "SELECT MASTER_POS_WAIT(?, ?, ?)", timeout, status[0], Long.parseLong(status[1]));
            }
        }
    }

    /** Waits until every replica that replicates from {@code db1} has caught up with it. */
    public void sync(Duration timeout) {
        sync(master(), replicas(), timeout);
    }

    private static void waitFor(ServerNode replica, String sql, Duration timeout, Object... args) {
        try (Connection c = replica.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object a : args) {
                ps.setObject(i++, a);
            }
            ps.setObject(i, timeout.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long result = rs.getLong(1);
                if (rs.wasNull() || result < 0) {
                    throw new IllegalStateException(replica + " did not catch up within " + timeout
                            + " (" + sql + " returned " + (rs.wasNull() ? "NULL" : result) + ")");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(replica + ": " + e.getMessage(), e);
        }
    }

    private static String[] binlogStatus(ServerNode source) {
        try (Connection c = source.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new IllegalStateException(source + " has no binary log");
            }
            return new String[] {rs.getString("File"), rs.getString("Position")};
        } catch (SQLException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    /** Checksums of every user table on every running server; see {@link Checksums#consistent()}. */
    public Checksums checksums() {
        return Checksums.of(nodes.stream().filter(n -> n.state() == ServerNode.State.RUNNING).toList());
    }

    /** Syncs the running replicas to {@code source}, then compares checksums across all running servers. */
    public Checksums syncAndChecksum(ServerNode source, Duration timeout) {
        List<ServerNode> followers = nodes.stream()
                .filter(n -> n != source && n.state() == ServerNode.State.RUNNING).toList();
        sync(source, followers, timeout);
        return checksums();
    }

    @Override
    public void close() {
        for (ServerNode n : nodes) {
            n.kill();
        }
        ProcessRegistry.deleteTree(dir);
    }
}
