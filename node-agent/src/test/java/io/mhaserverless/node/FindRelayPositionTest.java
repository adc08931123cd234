package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.node.binlog.SourceCoordinate;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * find-relay-position on relay logs written by a real MariaDB replica. The replica itself is the
 * oracle: after its SQL thread has executed up to a source coordinate, SHOW SLAVE STATUS's
 * Relay_Log_File / Relay_Log_Pos is exactly where the events after that coordinate start. And
 * mariadb-binlog's "# at" lines must show an event starting at the offset found.
 */
@MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
class FindRelayPositionTest {

    /** A source coordinate the replica executed up to, and where its SQL thread then stood in its relay log. */
    record Checkpoint(SourceCoordinate executed, String relayFile, long relayPos) {
    }

    /**
     * One SHOW SLAVE STATUS row: the master writes a Binlog_checkpoint event (43 bytes) some time
     * after FLUSH BINARY LOGS, and separate reads could see the coordinate before it and the relay
     * position after it.
     */
    private static Checkpoint checkpoint(ServerNode replica) {
        Servers.drained(replica);
        try (Connection c = replica.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            rs.next();
            return new Checkpoint(new SourceCoordinate(rs.getString("Relay_Master_Log_File"), rs.getLong("Exec_Master_Log_Pos")),
                    rs.getString("Relay_Log_File"), rs.getLong("Relay_Log_Pos"));
        } catch (SQLException e) {
            throw new IllegalStateException(replica + ": " + e.getMessage(), e);
        }
    }

    private static void writeAndWait(Sandbox sandbox, int firstId, int rows) {
        Servers.insertRows(sandbox.master(), "app.t", firstId, rows);
        Servers.receivedAll(sandbox.replicas().get(0), sandbox.master());
    }

    private static void createTable(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
    }

    private static AgentRun find(Path index, SourceCoordinate at) {
        return AgentRun.of("find-relay-position", "--relay-log-index", index.toString(), "--source-file", at.file(),
                "--source-pos", Long.toString(at.position()));
    }

    private static void assertFoundWhereTheReplicaStood(ServerNode replica, Checkpoint c) {
        AgentRun run = find(Servers.relayIndex(replica), c.executed());
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode j = run.json();
        assertThat(j.path("status").asText()).isEqualTo("ok");
        assertThat(j.path("relayFile").asText() + ":" + j.path("relayPos").asLong())
                .as("relay position after source " + c.executed())
                .isEqualTo(c.relayFile() + ":" + c.relayPos());
        assertThat(j.path("sourceFile").asText()).isEqualTo(c.executed().file());
        assertThat(j.path("sourcePos").asLong()).isEqualTo(c.executed().position());
    }

    @Test
    void positionsInOneRelayFileAreWhereTheSqlThreadStoodAndWhereMysqlbinlogStartsTheNextTransaction(Sandbox sandbox) {
        ServerNode replica = sandbox.replicas().get(0);
        createTable(sandbox);
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int batch = 0; batch < 4; batch++) {
            writeAndWait(sandbox, batch * 100, 30);
            checkpoints.add(checkpoint(replica));
        }
        assertThat(checkpoints.stream().map(Checkpoint::relayFile).distinct()).hasSize(1);
        for (Checkpoint c : checkpoints.subList(0, 3)) {
            assertFoundWhereTheReplicaStood(replica, c);
        }

        // mariadb-binlog --start-position=<relayPos> starts printing at that offset, with the next transaction's GTID
        Checkpoint c = checkpoints.get(1);
        Path relayFile = replica.dataDir().resolve(c.relayFile());
        List<Mysqlbinlog.Event> all = Mysqlbinlog.events(relayFile);
        int matched = indexOfEnd(all, c.executed().position());
        assertThat(all.get(matched + 1).at()).isEqualTo(c.relayPos());
        List<Mysqlbinlog.Event> fromThere = Mysqlbinlog.events(Mysqlbinlog.run("--start-position=" + c.relayPos(), relayFile.toString()));
        Mysqlbinlog.Event firstData = fromThere.stream().filter(e -> e.at() >= c.relayPos()).findFirst().orElseThrow();
        assertThat(firstData.at()).isEqualTo(c.relayPos());
        assertThat(firstData.text()).contains("GTID 0-1-");
        assertThat(firstData).isEqualTo(all.get(matched + 1));
    }

    private static int indexOfEnd(List<Mysqlbinlog.Event> events, long endLogPos) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).serverId() == 1 && events.get(i).endLogPos() == endLogPos) {
                return i;
            }
        }
        throw new AssertionError("mariadb-binlog shows no event ending at " + endLogPos);
    }

    @Test
    void positionsAcrossFlushRelayLogsAndSourceRotationsAreFoundInTheRightRelayFile(Sandbox sandbox) {
        ServerNode replica = sandbox.replicas().get(0);
        createTable(sandbox);
        List<Checkpoint> checkpoints = new ArrayList<>();
        writeAndWait(sandbox, 0, 20);
        checkpoints.add(checkpoint(replica));
        replica.flushRelayLogs();                       // next relay file has no source ROTATE
        writeAndWait(sandbox, 100, 20);
        checkpoints.add(checkpoint(replica));
        writeAndWait(sandbox, 200, 20);
        checkpoints.add(checkpoint(replica));
        replica.flushRelayLogs();
        writeAndWait(sandbox, 300, 20);
        checkpoints.add(checkpoint(replica));
        sandbox.master().execute("FLUSH BINARY LOGS");  // source rotation: mysql-bin.000002
        Servers.receivedAll(replica, sandbox.master());
        checkpoints.add(checkpoint(replica));           // the very start of mysql-bin.000002, after its head events
        writeAndWait(sandbox, 400, 20);
        checkpoints.add(checkpoint(replica));
        replica.flushRelayLogs();
        writeAndWait(sandbox, 500, 20);
        checkpoints.add(checkpoint(replica));
        writeAndWait(sandbox, 600, 10);                 // the SQL thread moves on; the last checkpoint is not the end

        assertThat(checkpoints.stream().map(Checkpoint::relayFile).distinct().count()).isGreaterThanOrEqualTo(4);
        assertThat(checkpoints.get(4).executed().file()).isEqualTo("mysql-bin.000002");
        for (Checkpoint c : checkpoints) {
            assertFoundWhereTheReplicaStood(replica, c);
        }

        // position 4 of the new source file: right after the ROTATE that names it
        AgentRun start = find(Servers.relayIndex(replica), new SourceCoordinate("mysql-bin.000002", 4));
        assertThat(start.exit()).as(start.toString()).isZero();
        Path file = replica.dataDir().resolve(start.json().path("relayFile").asText());
        List<Mysqlbinlog.Event> events = Mysqlbinlog.events(file);
        Mysqlbinlog.Event rotate = events.stream()
                .filter(e -> e.text().contains("Rotate to mysql-bin.000002") && e.serverId() == 1).reduce((a, b) -> b).orElseThrow();
        assertThat(events.get(events.indexOf(rotate) + 1).at()).isEqualTo(start.json().path("relayPos").asLong());
    }

    @Test
    void theNewestRelayFileOnTheTargetSourceFileIsTheOnlyOneScanned(Sandbox sandbox) {
        ServerNode replica = sandbox.replicas().get(0);
        createTable(sandbox);
        writeAndWait(sandbox, 0, 50);
        sandbox.master().execute("FLUSH BINARY LOGS");
        writeAndWait(sandbox, 100, 20);
        Checkpoint c = checkpoint(replica);
        writeAndWait(sandbox, 200, 20);

        AgentRun run = find(Servers.relayIndex(replica), c.executed());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("filesScanned").asInt()).isEqualTo(1);
        assertThat(run.json().path("relayFile").asText()).isEqualTo(c.relayFile());
        assertThat(run.json().path("relayPos").asLong()).isEqualTo(c.relayPos());
        assertThat(run.stderr()).contains("fast path");
    }

    @Test
    void aPositionNoEventEndsAtIsNotFoundWithExit12AndSaysWhatTheRelayLogsHold(Sandbox sandbox) {
        ServerNode replica = sandbox.replicas().get(0);
        createTable(sandbox);
        writeAndWait(sandbox, 0, 30);
        SourceCoordinate end = Servers.received(replica);

        for (SourceCoordinate missing : List.of(new SourceCoordinate(end.file(), end.position() + 1000),
                new SourceCoordinate(end.file(), end.position() - 1), new SourceCoordinate("mysql-bin.000007", 400))) {
            AgentRun run = find(Servers.relayIndex(replica), missing);
            assertThat(run.exit()).as(run.toString()).isEqualTo(12);
            assertThat(run.json().path("status").asText()).isEqualTo("not-found");
            assertThat(run.json().path("error").asText()).contains(missing.toString()).contains("relay-bin.index")
                    .containsAnyOf("searched relay-bin.000002", "every connection starts after it");
        }
    }

    @Test
    void aRelayLogCutInsideItsLastEventIsReadUpToThere(Sandbox sandbox, @TempDir Path copy) throws IOException {
        ServerNode replica = sandbox.replicas().get(0);
        createTable(sandbox);
        writeAndWait(sandbox, 0, 30);
        replica.flushRelayLogs();
        writeAndWait(sandbox, 100, 30);
        Checkpoint before = checkpoint(replica);
        writeAndWait(sandbox, 200, 10);
        SourceCoordinate last = Servers.received(replica);
        replica.execute("STOP SLAVE");

        // a copy of the relay logs with a relative index, the newest file cut 10 bytes into its last event
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(Servers.relayIndex(replica))) {
            Path f = Path.of(line.strip());
            Files.copy(f, copy.resolve(f.getFileName()));
            names.add(f.getFileName().toString());
        }
        Files.write(copy.resolve("relay-bin.index"), names);
        Path newest = copy.resolve(names.get(names.size() - 1));
        long size = Files.size(newest);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }

        AgentRun found = find(copy.resolve("relay-bin.index"), before.executed());
        assertThat(found.exit()).as(found.toString()).isZero();
        assertThat(found.json().path("relayFile").asText()).isEqualTo(before.relayFile());
        assertThat(found.json().path("relayPos").asLong()).isEqualTo(before.relayPos());
        assertThat(found.json().path("relayPath").asText()).startsWith(copy.toString());

        AgentRun cut = find(copy.resolve("relay-bin.index"), last);
        assertThat(cut.exit()).as(cut.toString()).isEqualTo(12);
        assertThat(cut.json().path("error").asText()).contains("ends inside an event");
        assertThat(cut.stderr()).contains("ends inside an event at offset");
    }

    @Test
    void badInputExitsWithAnErrorThatNamesIt(@TempDir Path dir) throws IOException {
        AgentRun missing = AgentRun.of("find-relay-position", "--relay-log-index", dir.resolve("nope.index").toString(),
                "--source-file", "mysql-bin.000001", "--source-pos", "4");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.json().path("status").asText()).isEqualTo("error");
        assertThat(missing.json().path("error").asText()).contains(dir.resolve("nope.index").toString());

        Path index = dir.resolve("relay-bin.index");
        Files.writeString(index, "relay-bin.000001\n");
        AgentRun missingRelay = AgentRun.of("find-relay-position", "--relay-log-index", index.toString(),
                "--source-file", "mysql-bin.000001", "--source-pos", "4");
        assertThat(missingRelay.exit()).isEqualTo(1);
        assertThat(missingRelay.json().path("error").asText()).contains(dir.resolve("relay-bin.000001").toString())
                .contains("does not exist");

        Files.writeString(dir.resolve("relay-bin.000001"), "not a relay log");
        AgentRun notBinlog = AgentRun.of("find-relay-position", "--relay-log-index", index.toString(),
                "--source-file", "mysql-bin.000001", "--source-pos", "4");
        assertThat(notBinlog.exit()).isEqualTo(1);
        assertThat(notBinlog.json().path("error").asText()).contains("relay-bin.000001").contains("not a binlog");

        AgentRun noPos = AgentRun.of("find-relay-position", "--relay-log-index", index.toString(), "--source-file", "mysql-bin.000001");
        assertThat(noPos.exit()).isEqualTo(2);
        assertThat(noPos.json().path("error").asText()).contains("--source-pos");

        AgentRun badPos = AgentRun.of("find-relay-position", "--relay-log-index", index.toString(), "--source-file", "mysql-bin.000001",
                "--source-pos", "12x");
        assertThat(badPos.exit()).isEqualTo(2);
        assertThat(badPos.json().path("error").asText()).contains("12x");
    }
}
