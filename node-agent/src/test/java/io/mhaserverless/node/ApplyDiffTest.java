package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.node.binlog.SourceCoordinate;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply-diff: a replica that stopped receiving (STOP SLAVE IO_THREAD) while the master went on is
 * brought to the state of the replica that received everything, from that replica's relay logs —
 * which FLUSH RELAY LOGS and a source rotation spread over several files — starting at the lagging
 * replica's Exec_Master_Log_Pos.
 */
@MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
class ApplyDiffTest {

    /** The password of a second admin account: every character an option file has to escape. */
    static final String ODD_PASSWORD = "p\"a\\ss #w;rd' x";

    private record Diverged(ServerNode advanced, ServerNode lagging, SourceCoordinate laggingExecuted, SourceCoordinate middle) {
    }

    /** db3 stops receiving after the first batch; db2 receives it all, over several relay files. */
    private static Diverged diverge(Sandbox sandbox) {
        ServerNode master = sandbox.master();
        ServerNode advanced = sandbox.node("db2");
        ServerNode lagging = sandbox.node("db3");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))",
                "CREATE USER odd@'%' IDENTIFIED BY '" + ODD_PASSWORD.replace("\\", "\\\\").replace("'", "\\'") + "'",
                "GRANT ALL ON *.* TO odd@'%'");
        Servers.insertRows(master, "app.t", 0, 100);
        sandbox.sync(Duration.ofSeconds(30));
        lagging.stopIoThread();
        Servers.insertRows(master, "app.t", 1000, 100);
        master.execute("UPDATE app.t SET pad = 'changed' WHERE id % 7 = 0", "DELETE FROM app.t WHERE id BETWEEN 1010 AND 1019");
        advanced.flushRelayLogs();
        Servers.receivedAll(advanced, master);
        master.execute("BEGIN", "INSERT INTO app.t VALUES (5000, 'multi-statement')", "UPDATE app.t SET pad = 'x' WHERE id = 1",
                "DELETE FROM app.t WHERE id = 2", "COMMIT");
        Servers.receivedAll(advanced, master);
        SourceCoordinate middle = Servers.masterStatus(master);
        master.execute("FLUSH BINARY LOGS");
        Servers.insertRows(master, "app.t", 2000, 100);
        Servers.receivedAll(advanced, master);
        advanced.flushRelayLogs();
        Servers.insertRows(master, "app.t", 3000, 100);
        Servers.receivedAll(advanced, master);
        master.kill();
        Servers.drained(advanced);
        Servers.drained(lagging);
        lagging.execute("STOP SLAVE");
        advanced.execute("STOP SLAVE");
        return new Diverged(advanced, lagging, Servers.executed(lagging), middle);
    }

    private static List<String> applyArgs(Diverged d, Path credentials, String... more) {
        List<String> args = new ArrayList<>(List.of("apply-diff", "--target-host", d.lagging().host(),
                "--target-port", Integer.toString(d.lagging().port()), "--credentials-file", credentials.toString(),
                "--relay-log-index", Servers.relayIndex(d.advanced()).toString(), "--from-source", d.laggingExecuted().toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void theAdvancedReplicasRelayDiffBringsTheLaggingReplicaToTheSameRows(Sandbox sandbox, @TempDir Path dir) throws IOException {
        Diverged d = diverge(sandbox);
        assertThat(sandbox.checksums().consistent()).isFalse();
        Path credentials = Servers.credentialsFile(dir, "odd", ODD_PASSWORD);

        AgentRun dry = AgentRun.of(applyArgs(d, credentials, "--dry-run", "--out", dir.resolve("diff.binlog").toString()));
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.json().path("appliedTo").isNull()).isTrue();
        long events = dry.json().path("events").asLong();
        assertThat(dry.json().path("transactions").asLong()).isEqualTo(10 + 2 + 1 + 10 + 10);
        assertThat(IndependentParser.events(dir.resolve("diff.binlog"))).isEqualTo(1 + events);
        assertThat(sandbox.checksums().consistent()).isFalse();

        AgentRun run = AgentRun.of(applyArgs(d, credentials));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("status").asText()).isEqualTo("ok");
        assertThat(run.json().path("appliedTo").asText()).isEqualTo(d.lagging().host() + ":" + d.lagging().port());
        assertThat(run.json().path("events").asLong()).isEqualTo(events);
        assertThat(run.json().path("transactions").asLong()).isEqualTo(33);
        assertThat(run.json().path("endsAtTransactionBoundary").asBoolean()).isTrue();
        assertThat(run.stdout() + run.stderr()).doesNotContain(ODD_PASSWORD);
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        // the events keep the master's server id and GTIDs
        assertThat(d.lagging().queryString("SELECT @@gtid_binlog_pos")).isEqualTo(d.advanced().queryString("SELECT @@gtid_slave_pos"));
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir"))).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("mha-client") && n.endsWith(".cnf"))).isEmpty();
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void inGtidModeWithAnIoThreadRestartTheDiffStillBringsTheLaggingReplicaUp(Sandbox sandbox, @TempDir Path dir) {
        ServerNode master = sandbox.master();
        ServerNode advanced = sandbox.node("db2");
        ServerNode lagging = sandbox.node("db3");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
        Servers.insertRows(master, "app.t", 0, 50);
        sandbox.sync(Duration.ofSeconds(30));
        lagging.stopIoThread();
        Servers.insertRows(master, "app.t", 1000, 50);
        Servers.receivedAll(advanced, master);
        advanced.stopIoThread();                         // the advanced replica reconnects: a new source ROTATE mid-chain
        Servers.insertRows(master, "app.t", 2000, 50);
        advanced.startIoThread();
        Servers.receivedAll(advanced, master);
        master.execute("FLUSH BINARY LOGS");
        Servers.insertRows(master, "app.t", 3000, 50);
        Servers.receivedAll(advanced, master);
        master.kill();
        Servers.drained(advanced);
        Servers.drained(lagging);
        advanced.execute("STOP SLAVE");
        lagging.execute("STOP SLAVE");
        Diverged d = new Diverged(advanced, lagging, Servers.executed(lagging), null);

        AgentRun run = AgentRun.of(applyArgs(d, Servers.credentialsFile(dir)));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("transactions").asLong()).isEqualTo(15);
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
        assertThat(lagging.queryString("SELECT @@gtid_binlog_pos")).isEqualTo(advanced.queryString("SELECT @@gtid_slave_pos"));
    }

    @Test
    void aDiffRunAgainWithTheTargetsGtidsSkipsWhatItAlreadyAppliedAndWritesNothingTwice(Sandbox sandbox, @TempDir Path dir) {
        Diverged d = diverge(sandbox);
        Path credentials = Servers.credentialsFile(dir);
        AgentRun first = AgentRun.of(applyArgs(d, credentials, "--skip-gtids",
                d.lagging().queryString("SELECT @@gtid_binlog_state").orElseThrow()));
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.json().path("skipped").asLong()).isZero();
        assertThat(first.json().path("transactions").asLong()).isEqualTo(33);

        // as if the first run had been cut off and its phase retried: the target has it all now
        AgentRun again = AgentRun.of(applyArgs(d, credentials, "--skip-gtids",
                d.lagging().queryString("SELECT @@gtid_binlog_state").orElseThrow()));

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().path("skipped").asLong()).isEqualTo(33);
        assertThat(again.json().path("transactions").asLong()).isZero();
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
    }

    @Test
    void aBadSkipSetIsAUsageError(Sandbox sandbox, @TempDir Path dir) {
        Diverged d = diverge(sandbox);
        AgentRun run = AgentRun.of(applyArgs(d, Servers.credentialsFile(dir), "--skip-gtids", "not-a-gtid"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.json().path("error").asText()).contains("--skip-gtids: not a GTID set or position: 'not-a-gtid'");
    }

    @Test
    void untilSourceStopsTheDiffAtThatEvent(Sandbox sandbox, @TempDir Path dir) {
        Diverged d = diverge(sandbox);
        Path credentials = Servers.credentialsFile(dir);

        AgentRun run = AgentRun.of(applyArgs(d, credentials, "--until-source", d.middle().toString()));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("transactions").asLong()).isEqualTo(10 + 2 + 1);
        assertThat(d.lagging().queryString("SELECT COUNT(*) FROM app.t")).contains("190");
        assertThat(d.lagging().queryString("SELECT pad FROM app.t WHERE id = 5000")).contains("multi-statement");

        AgentRun beyond = AgentRun.of(applyArgs(d, credentials, "--until-source", "mysql-bin.000002:999999"));
        assertThat(beyond.exit()).as(beyond.toString()).isEqualTo(12);
        assertThat(beyond.json().path("error").asText()).contains("mysql-bin.000002:999999");
    }

    @Test
    void errorsOfMysqlbinlogAndOfTheClientSurfaceAsExitOne(Sandbox sandbox, @TempDir Path dir) throws IOException {
        Diverged d = diverge(sandbox);
        Path credentials = Servers.credentialsFile(dir);

        // mysqlbinlog exits 0 after "Event truncated": its stderr alone must fail the apply
        Path fake = dir.resolve("fake-mysqlbinlog");
        Files.writeString(fake, "#!/bin/sh\necho 'ERROR: Error in Log_event::read_log_event(): Event truncated' >&2\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        AgentRun truncated = AgentRun.of(applyArgs(d, credentials, "--mysqlbinlog", fake.toString()));
        assertThat(truncated.exit()).as(truncated.toString()).isEqualTo(1);
        assertThat(truncated.json().path("error").asText()).contains("Event truncated").contains("exited 0");

        // a real mysqlbinlog error: MariaDB's cannot decode a MySQL 8 compressed transaction
        Path mysql8 = SharedFixtures.permissive("rust_mysql_common/transaction_compression.000001");
        AgentRun payload = AgentRun.of("apply-diff", "--target-host", d.lagging().host(), "--target-port",
                Integer.toString(d.lagging().port()), "--credentials-file", credentials.toString(), "--binlog", mysql8.toString());
        assertThat(payload.exit()).as(payload.toString()).isEqualTo(1);
        assertThat(payload.json().path("error").asText()).contains("TRANSACTION_PAYLOAD");

        // the client's failure: a wrong password
        AgentRun denied = AgentRun.of(applyArgs(d, Servers.credentialsFile(dir, "admin", "wrong")));
        assertThat(denied.exit()).as(denied.toString()).isEqualTo(1);
        assertThat(denied.json().path("error").asText()).contains("Access denied").contains(d.lagging().port() + "");
        assertThat(sandbox.checksums().consistent()).isFalse();

        // and after all that, the real apply still works
        AgentRun ok = AgentRun.of(applyArgs(d, credentials));
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(sandbox.checksums().consistent()).as(sandbox.checksums().differences()).isTrue();
    }

    @Test
    void badInputExitsWithAnErrorThatNamesIt(@TempDir Path dir) throws IOException {
        Path credentials = Servers.credentialsFile(dir);
        Path saved = SharedFixtures.permissive("rust_mysql_common/mariadb-bin.000001");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "no-such-host.invalid", "--target-port", "3306",
                "--credentials-file", credentials.toString(), "--binlog", saved.toString()), 1, "no-such-host.invalid");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306",
                "--credentials-file", credentials.toString(), "--binlog", dir.resolve("missing.binlog").toString()), 1, "missing.binlog");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306",
                "--credentials-file", dir.resolve("nocreds").toString(), "--binlog", saved.toString()), 1, "nocreds");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306",
                "--relay-log-index", dir.resolve("relay-bin.index").toString(), "--from-source", "mysql-bin.000001"), 2, "mysql-bin.000001");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306",
                "--relay-log-index", dir.resolve("relay-bin.index").toString(), "--from-source", "mysql-bin.000001:4",
                "--dry-run", "--out", dir.resolve("o").toString()), 1, dir.resolve("relay-bin.index").toString());
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306"), 2, "nothing to apply");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306", "--binlog",
                saved.toString(), "--dry-run"), 2, "--out");
        SaveBinlogTest.assertError(AgentRun.of("apply-diff", "--target-host", "127.0.0.1", "--target-port", "3306", "--binlog",
                saved.toString(), "--password", "secret"), 2, "--password");
    }
}
