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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * save-binlog on the binlog of a real master killed with SIGKILL, across FLUSH BINARY LOGS
 * rotations; the saved file is applied with apply-diff to a replica that stopped receiving early,
 * which must then hold the same rows as a replica that received everything.
 */
class SaveBinlogTest {

    /** db2 stops receiving after the first batch; the master rotates twice more; db3 gets everything; the master dies. */
    private static SourceCoordinate divergeAndKill(Sandbox sandbox) {
        ServerNode master = sandbox.master();
        ServerNode lagging = sandbox.node("db2");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
        Servers.insertRows(master, "app.t", 0, 50);
        sandbox.sync(Duration.ofSeconds(30));
        lagging.stopIoThread();
        Servers.drained(lagging);
        Servers.insertRows(master, "app.t", 1000, 40);
        master.execute("UPDATE app.t SET pad = 'updated' WHERE id < 20", "DELETE FROM app.t WHERE id BETWEEN 30 AND 35");
        master.execute("FLUSH BINARY LOGS");
        Servers.insertRows(master, "app.t", 2000, 40);
        master.execute("FLUSH BINARY LOGS");
        Servers.insertRows(master, "app.t", 3000, 20);
        sandbox.sync(master, List.of(sandbox.node("db3")), Duration.ofSeconds(30));
        master.kill();
        lagging.execute("STOP SLAVE");
        return Servers.executed(lagging);
    }

    private static AgentRun applyTo(ServerNode target, Path saved, Path credentials) {
        return AgentRun.of("apply-diff", "--target-host", target.host(), "--target-port", Integer.toString(target.port()),
                "--credentials-file", credentials.toString(), "--binlog", saved.toString());
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void theTailAcrossRotationsAppliedToALaggingReplicaGivesItTheSameRows(Sandbox sandbox, @TempDir Path dir) {
        SourceCoordinate from = divergeAndKill(sandbox);
        SourceCoordinate end = Servers.received(sandbox.node("db3"));
        Path out = dir.resolve("saved.binlog");

        AgentRun run = AgentRun.of("save-binlog", "--binlog-dir", sandbox.master().dataDir().toString(),
                "--from", from.toString(), "--out", out.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode j = run.json();
        assertThat(j.path("status").asText()).isEqualTo("ok");
        assertThat(j.path("fromFile").asText() + ":" + j.path("fromPos").asLong()).isEqualTo(from.toString());
        assertThat(j.path("lastFile").asText()).isEqualTo("mysql-bin.000003").isEqualTo(end.file());
        assertThat(j.path("lastEndPos").asLong()).isEqualTo(end.position());
        assertThat(j.path("transactions").asLong()).isEqualTo(4 + 2 + 4 + 2);
        assertThat(j.path("truncatedTail").asBoolean()).isFalse();
        assertThat(j.path("lastTransactionComplete").asBoolean()).isTrue();
        assertThat(j.path("bytes").asLong()).isEqualTo(fileSize(out));
        assertThat(j.path("gtids").asText()).isEqualTo(sandbox.node("db3").queryString("SELECT @@gtid_slave_pos").orElseThrow());
        assertThat(IndependentParser.events(out)).isEqualTo(1 + j.path("events").asLong());
        assertThat(Mysqlbinlog.events(out)).extracting(Mysqlbinlog.Event::text).noneMatch(t -> t.contains("Rotate"));

        AgentRun apply = applyTo(sandbox.node("db2"), out, Servers.credentialsFile(dir));
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(apply.json().path("transactions").asLong()).isEqualTo(j.path("transactions").asLong());
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        assertThat(sandbox.node("db2").queryString("SELECT COUNT(*) FROM app.t")).contains("144");
    }

    /**
     * save-binlog --apply-to: the save and its apply in one run (a failover's one agent start on the
     * dead master's host); run again with the target's GTIDs it applies nothing twice; a save that
     * fails exits 13 with nothing applied.
     */
    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void applyToSavesAndAppliesInOneRunAndARerunAppliesNothingTwice(Sandbox sandbox, @TempDir Path dir) {
        SourceCoordinate from = divergeAndKill(sandbox);
        ServerNode target = sandbox.node("db2");
        Path out = dir.resolve("saved.binlog");
        Path credentials = Servers.credentialsFile(dir);
        String binlogDir = sandbox.master().dataDir().toString();
        String to = target.host() + ":" + target.port();

        AgentRun bad = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000099:4", "--out",
                out.toString(), "--apply-to", to, "--credentials-file", credentials.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(13);
        assertThat(bad.json().path("status").asText()).isEqualTo("not-saved");
        assertThat(bad.json().path("error").asText()).contains("mysql-bin.000099");
        assertThat(sandbox.checksums().consistent()).isFalse();

        // delivered after its caller gave up waiting: nothing saved, nothing applied
        AgentRun late = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--apply-to", to, "--credentials-file", credentials.toString(),
                "--start-by", Long.toString(System.currentTimeMillis() - 1000));
        assertThat(late.exit()).as(late.toString()).isEqualTo(13);
        assertThat(late.json().path("status").asText()).isEqualTo("too-late");
        assertThat(out).doesNotExist();
        assertThat(sandbox.checksums().consistent()).isFalse();

        AgentRun run = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--start-by", Long.toString(System.currentTimeMillis() + 60_000),
                "--apply-to", to, "--credentials-file", credentials.toString(),
                "--skip-gtids", target.queryString("SELECT @@gtid_binlog_state").orElse(""));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode j = run.json();
        assertThat(j.path("transactions").asLong()).isEqualTo(12);
        assertThat(j.path("appliedTo").asText()).isEqualTo(to);
        assertThat(j.path("appliedTransactions").asLong()).isEqualTo(12);
        assertThat(j.path("bytes").asLong()).isEqualTo(fileSize(out)); // the file is kept, for the report and a rerun
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        assertThat(target.queryString("SELECT COUNT(*) FROM app.t")).contains("144");

        // as if the controller had died after the apply and run the phase again
        AgentRun again = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--apply-to", to, "--credentials-file", credentials.toString(),
                "--skip-gtids", target.queryString("SELECT @@gtid_binlog_state").orElseThrow());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().path("appliedTransactions").asLong()).isZero();
        assertThat(again.json().path("skipped").asLong()).isEqualTo(12);
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();

        AgentRun usage = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--skip-gtids", "0-1-1");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.stderr()).contains("--skip-gtids needs --apply-to");
        AgentRun startBy = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--start-by", "1");
        assertThat(startBy.exit()).isEqualTo(2);
        assertThat(startBy.stderr()).contains("--start-by needs --apply-to");
        AgentRun badTarget = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", from.toString(), "--out", out.toString(),
                "--apply-to", "db2");
        assertThat(badTarget.exit()).isEqualTo(2);
        assertThat(badTarget.stderr()).contains("--apply-to must be HOST:PORT");
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void fromAGtidPositionStartsAtTheFirstTransactionNotInIt(Sandbox sandbox, @TempDir Path dir) {
        SourceCoordinate lagging = divergeAndKill(sandbox);
        String executed = sandbox.node("db2").queryString("SELECT @@gtid_slave_pos").orElseThrow();
        Path out = dir.resolve("saved.binlog");

        AgentRun run = AgentRun.of("save-binlog", "--binlog-dir", sandbox.master().dataDir().toString(),
                "--from-gtid", executed, "--out", out.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("fromFile").asText() + ":" + run.json().path("fromPos").asLong()).isEqualTo(lagging.toString());
        assertThat(run.json().path("transactions").asLong()).isEqualTo(12);
        AgentRun apply = applyTo(sandbox.node("db2"), out, Servers.credentialsFile(dir));
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        assertThat(sandbox.node("db2").queryString("SELECT @@gtid_binlog_pos"))
                .isEqualTo(sandbox.node("db3").queryString("SELECT @@gtid_slave_pos"));

        String all = sandbox.node("db3").queryString("SELECT @@gtid_slave_pos").orElseThrow();
        AgentRun nothing = AgentRun.of("save-binlog", "--binlog-dir", sandbox.master().dataDir().toString(),
                "--from-gtid", all, "--out", dir.resolve("none.binlog").toString());
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(10);
        assertThat(nothing.json().path("status").asText()).isEqualTo("nothing-newer");
        assertThat(dir.resolve("none.binlog")).doesNotExist();
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void theWholeHistoryMakesAFreshServerEqualNothingNewerExitsTenACutOffEventIsLeftOutAndBadInputIsNamed(Sandbox sandbox,
            @TempDir Path dir) throws IOException {
        ServerNode master = sandbox.master();
        ServerNode fresh = sandbox.node("db2");
        fresh.execute("STOP SLAVE");                    // before anything is written: it stays empty
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
        Servers.insertRows(master, "app.t", 0, 30);
        master.execute("FLUSH BINARY LOGS");
        Servers.insertRows(master, "app.t", 100, 30);
        SourceCoordinate end = Servers.masterStatus(master);
        sandbox.sync(master, List.of(sandbox.node("db3")), Duration.ofSeconds(30));
        master.kill();
        String binlogDir = master.dataDir().toString();

        AgentRun nothing = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", end.toString(),
                "--out", dir.resolve("n.binlog").toString());
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(10);
        assertThat(nothing.json().path("status").asText()).isEqualTo("nothing-newer");
        assertThat(nothing.json().path("events").asLong()).isZero();
        assertThat(dir.resolve("n.binlog")).doesNotExist();

        // whole history from the first file, then the same with the newest file cut 7 bytes into its last event
        AgentRun whole = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000001:4",
                "--out", dir.resolve("whole.binlog").toString());
        assertThat(whole.exit()).as(whole.toString()).isZero();
        assertThat(whole.json().path("transactions").asLong()).isEqualTo(2 + 3 + 3);
        AgentRun apply = applyTo(fresh, dir.resolve("whole.binlog"), Servers.credentialsFile(dir));
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(sandbox.checksums().byServer()).containsOnlyKeys("db2", "db3");
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        assertThat(fresh.queryString("SELECT COUNT(*) FROM app.t")).contains("60");
        Path copy = Files.createDirectory(dir.resolve("binlogs"));
        for (String name : List.of("mysql-bin.000001", "mysql-bin.000002")) {
            Files.copy(master.dataDir().resolve(name), copy.resolve(name));
        }
        try (FileChannel ch = FileChannel.open(copy.resolve("mysql-bin.000002"), StandardOpenOption.WRITE)) {
            ch.truncate(end.position() - 7);
        }
        AgentRun cut = AgentRun.of("save-binlog", "--binlog-dir", copy.toString(), "--from", "mysql-bin.000001:4",
                "--out", dir.resolve("cut.binlog").toString());
        assertThat(cut.exit()).as(cut.toString()).isZero();
        assertThat(cut.json().path("truncatedTail").asBoolean()).isTrue();
        assertThat(cut.json().path("events").asLong()).isEqualTo(whole.json().path("events").asLong() - 1);
        assertThat(cut.json().path("lastEndPos").asLong()).isLessThan(end.position() - 7);
        assertThat(cut.json().path("lastTransactionComplete").asBoolean()).isFalse();

        // the older file cut inside its last transaction (a crash, then a restart that opened the next file)
        Path crashed = Files.createDirectory(dir.resolve("crashed"));
        for (String name : List.of("mysql-bin.000001", "mysql-bin.000002")) {
            Files.copy(master.dataDir().resolve(name), crashed.resolve(name));
        }
        long lastXid = lastEventOfType(crashed.resolve("mysql-bin.000001"), io.mhaserverless.node.binlog.EventType.XID);
        try (FileChannel ch = FileChannel.open(crashed.resolve("mysql-bin.000001"), StandardOpenOption.WRITE)) {
            ch.truncate(lastXid + 5);
        }
        AgentRun torn = AgentRun.of("save-binlog", "--binlog-dir", crashed.toString(), "--from", "mysql-bin.000001:4",
                "--out", dir.resolve("torn.binlog").toString());
        assertThat(torn.exit()).as(torn.toString()).isZero();
        assertThat(torn.json().path("transactions").asLong()).isEqualTo(whole.json().path("transactions").asLong() - 1);
        assertThat(torn.json().path("events").asLong()).isEqualTo(whole.json().path("events").asLong() - 5);
        assertThat(torn.json().path("truncatedTail").asBoolean()).isFalse();
        assertThat(torn.json().path("lastTransactionComplete").asBoolean()).isTrue();
        assertThat(torn.stderr()).contains("mysql-bin.000001 ends inside a transaction");

        assertError(AgentRun.of("save-binlog", "--binlog-dir", dir.resolve("nope").toString(), "--from", "mysql-bin.000001:4",
                "--out", dir.resolve("x").toString()), 1, dir.resolve("nope").toString());
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000009:4",
                "--out", dir.resolve("x").toString()), 1, "mysql-bin.000009");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000001:5",
                "--out", dir.resolve("x").toString()), 1, "position 5 is not an event boundary");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000001",
                "--out", dir.resolve("x").toString()), 2, "mysql-bin.000001");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000001:4", "--from-gtid", "0-1-1",
                "--out", dir.resolve("x").toString()), 2, "mutually exclusive");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from-gtid", "zero-one",
                "--out", dir.resolve("x").toString()), 2, "zero-one");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000001:4",
                "--out", dir.resolve("no/such/dir/x").toString()), 1, dir.resolve("no/such/dir").toString());
        assertThat(dir.resolve("x")).doesNotExist();
    }

    /**
     * --check (MHA: save_binary_logs --command=test) writes nothing; it names what is wrong: a missing
     * directory, one without the file the replicas read, a file shorter than what they received, an
     * unreadable file; a failover refuses on any of them before it changes a server.
     */
    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
    void checkReadsNothingButNamesAMissingDirectoryAMissingOrShortFileAndAnUnreadableOne(Sandbox sandbox, @TempDir Path dir)
            throws IOException {
        ServerNode master = sandbox.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
        Servers.insertRows(master, "app.t", 0, 10);
        SourceCoordinate end = Servers.masterStatus(master);
        master.kill();
        String binlogDir = master.dataDir().toString();

        AgentRun ok = AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", end.toString(), "--check");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.json().path("fromFile").asText()).isEqualTo(end.file());
        assertThat(ok.json().path("fileBytes").asLong()).isGreaterThanOrEqualTo(end.position());

        assertError(AgentRun.of("save-binlog", "--binlog-dir", dir.resolve("datax").toString(), "--from", end.toString(), "--check"),
                1, dir.resolve("datax").toString());
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", "mysql-bin.000009:4", "--check"),
                1, "has no mysql-bin.000009");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", end.file() + ":" + (end.position() + 1_000_000),
                "--check"), 1, "not this server's binlog");
        Path copy = Files.createDirectory(dir.resolve("unreadable"));
        Files.copy(master.dataDir().resolve(end.file()), copy.resolve(end.file()));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) { // root reads a file of mode 000 anyway
            Files.setPosixFilePermissions(copy.resolve(end.file()), java.util.Set.of());
            assertError(AgentRun.of("save-binlog", "--binlog-dir", copy.toString(), "--from", end.toString(), "--check"),
                    1, end.file());
        }
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from-gtid", "0-1-1", "--check"), 2, "--check needs --from");
        assertError(AgentRun.of("save-binlog", "--binlog-dir", binlogDir, "--from", end.toString()), 2, "--out");
    }

    static void assertError(AgentRun run, int exit, String named) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(exit);
        assertThat(run.json().path("status").asText()).isEqualTo("error");
        assertThat(run.json().path("error").asText()).as(run.toString()).contains(named).doesNotContain("\n");
    }

    private static long lastEventOfType(Path binlog, int type) throws IOException {
        long last = -1;
        try (var reader = io.mhaserverless.node.binlog.BinlogReader.open(binlog)) {
            while (reader.next()) {
                if (reader.header().type() == type) {
                    last = reader.offset();
                }
            }
        }
        return last;
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
