package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check-repl rule, each broken for real on a running topology, asserting the rule id, the
 * server and the exit code; and one healthy run per replication mode.
 */
class CheckReplCommandTest {

    private static final Duration SYNC = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private CliRun checkRepl(Sandbox sandbox, Map<String, String> perServer, String... extra) throws IOException {
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, SandboxConfig.yaml("test", sandbox, name -> perServer.getOrDefault(name, "")));
        String[] args = new String[extra.length + 3];
        args[0] = "check-repl";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return CliRun.of(args);
    }

    private CliRun checkRepl(Sandbox sandbox, String... extra) throws IOException {
        return checkRepl(sandbox, Map.of(), extra);
    }

    private static void load(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO app.t VALUES (1, 1), (2, 2)");
        sandbox.sync(SYNC);
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void healthyGtidTopologyPrintsTheTreeAndExitsZero(Sandbox sandbox) throws IOException {
        load(sandbox);
        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith(sandbox.node("db1") + " (current master)\n"
                + " +--" + sandbox.node("db2") + "\n"
                + " +--" + sandbox.node("db3") + "\n");
        assertThat(run.out()).contains("Replication health is OK.").doesNotContain("[ERROR]").doesNotContain("[WARN]");
        assertThat(run.err()).isEmpty();
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void healthyFilePositionTopologyExitsZero(Sandbox sandbox) throws IOException {
        load(sandbox);
        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains(sandbox.node("db1") + " (current master)").contains("Replication health is OK.");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void replicaOfAnotherReplicaBreaksReplicatesFromMaster(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        ServerNode db3 = sandbox.node("db3");
        db3.execute("STOP SLAVE");
        sandbox.replicate(db3, db2);

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] replicates-from-master: " + db3 + ": replicates from " + db2
                + ", not from the master " + sandbox.node("db1"));
        assertThat(run.out()).contains("    +--" + db3); // drawn under db2
        assertThat(run.out()).contains("Replication health is NOT OK: 1 check failed.");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void replicaOfAnotherReplicaIsOnlyAWarningWithMultiTierSlave(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db3 = sandbox.node("db3");
        db3.execute("STOP SLAVE");
        sandbox.replicate(db3, sandbox.node("db2"));
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, "multiTierSlave: true\n" + SandboxConfig.yaml("test", sandbox, n -> ""));

        CliRun run = CliRun.of("check-repl", "--config", config.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("[WARN] replicates-from-master: " + db3 + ": replicates from " + sandbox.node("db2"))
                .contains("unmanaged (multiTierSlave)")
                .contains("Replication health is OK.");
    }

    /**
     * Issue 17, item 7; mirrors MHA's t_4tier: db1 → db2 → db3 (multiTierSlave) with db2 writable is a
     * second writable master that db3 follows: an ERROR until db2 is read-only.
     */
    @Test
    @MariaDbTopology(replicas = 2)
    void aWritableIntermediateMasterIsASecondMasterEvenWithMultiTierSlave(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        ServerNode db3 = sandbox.node("db3");
        db3.execute("STOP SLAVE");
        sandbox.replicate(db3, db2);
        db2.execute("SET GLOBAL read_only = OFF");
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, "multiTierSlave: true\n" + SandboxConfig.yaml("test", sandbox, n -> ""));

        CliRun writable = CliRun.of("check-repl", "--config", config.toString());
        assertThat(writable.exit()).as(writable.toString()).isEqualTo(1);
        assertThat(writable.out()).contains("[ERROR] single-master: " + db2 + ": is writable and " + db3
                + " replicate from it: a second writable master besides " + sandbox.master());

        db2.execute("SET GLOBAL read_only = ON");
        CliRun readOnly = CliRun.of("check-repl", "--config", config.toString());
        assertThat(readOnly.exit()).as(readOnly.toString()).isZero();
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void stoppedSqlThreadBreaksReplicationRunning(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.node("db2").execute("STOP SLAVE SQL_THREAD");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] replication-running: " + sandbox.node("db2") + ": SQL thread is stopped");
        assertThat(run.out()).doesNotContain("replication-running: " + sandbox.node("db3"));
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void stoppedIoThreadBreaksReplicationRunning(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.node("db3").stopIoThread();

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] replication-running: " + sandbox.node("db3") + ": IO thread is stopped");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void writableReplicaIsAWarning(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.node("db2").execute("SET GLOBAL read_only = OFF");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("[WARN] read-only: " + sandbox.node("db2") + ": read_only is OFF on a replica")
                .contains("Replication health is OK.");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void twoWritableServersBreakSingleMaster(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.node("db2").execute("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] single-master: cluster test: more than one server replicates from nobody: "
                + sandbox.node("db1") + ", " + sandbox.node("db2") + " (writable: " + sandbox.node("db1") + ", " + sandbox.node("db2") + ")");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void masterMasterPairWithBothSidesWritableBreaksSingleMaster(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db1 = sandbox.node("db1");
        ServerNode db2 = sandbox.node("db2");
        sandbox.replicate(db1, db2);
        db1.execute("SET GLOBAL read_only = OFF");
        db2.execute("SET GLOBAL read_only = OFF");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] single-master: cluster test: master-master pair " + db1 + ", " + db2
                + " is writable on both sides: two writable servers");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void masterMasterPairWithOneReadOnlySideNamesTheWritableOneMaster(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db1 = sandbox.node("db1");
        sandbox.replicate(db1, sandbox.node("db2")); // replicate() also sets read_only=ON on db1
        db1.execute("SET GLOBAL read_only = OFF");
        sandbox.node("db2").execute("SET GLOBAL read_only = ON");
        sandbox.sync(sandbox.node("db2"), java.util.List.of(db1), SYNC);

        CliRun run = checkRepl(sandbox);

        assertThat(run.out()).as(run.toString()).startsWith(db1 + " (current master)\n +--" + sandbox.node("db2"));
        assertThat(run.out()).doesNotContain("single-master");
    }

    /**
     * Issue 17, item 3; mirrors MHA's t_slave_sql_start2: a local write on db2 stops its SQL thread
     * when the master writes the same row; the DBA repairs it (deletes the row, starts the SQL thread).
     * Its errant transactions stay, named with their GTIDs, but only as a warning: a failover would
     * leave db2 out and promote db3, so check-repl passes (as MHA's does).
     */
    @Test
    @MariaDbTopology(replicas = 2)
    void errantTransactionsOnARepairedReplicaAreAWarningWhileAnotherReplicaCanBecomeMaster(Sandbox sandbox) throws Exception {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        // admin bypasses read_only; in a domain of its own, as gtid_strict_mode needs for the repair to replicate on
        db2.execute("SET SESSION gtid_domain_id = 1", "INSERT INTO app.t VALUES (100, 100)");
        sandbox.master().execute("INSERT INTO app.t VALUES (100, 100)");
        awaitSqlThreadStopped(db2);

        CliRun broken = checkRepl(sandbox);
        assertThat(broken.exit()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.out()).contains("[ERROR] replication-running: " + db2 + ": SQL thread is stopped (error 1062");

        db2.execute("SET SESSION gtid_domain_id = 1", "DELETE FROM app.t WHERE id = 100", "START SLAVE SQL_THREAD");
        sandbox.sync(SYNC);
        CliRun repaired = checkRepl(sandbox);

        String errant = db2.queryString("SELECT @@gtid_binlog_state").orElseThrow().replaceAll("^.*(1-2-\\d+).*$", "$1");
        assertThat(errant).isEqualTo("1-2-2");
        assertThat(repaired.exit()).as(repaired.toString()).isZero();
        assertThat(repaired.out()).contains("[WARN] errant-gtid: " + db2 + ": has transactions the master "
                + sandbox.node("db1") + " does not have: " + errant + "; a failover leaves it out");
        assertThat(repaired.out()).doesNotContain("errant-gtid: " + sandbox.node("db3"));
    }

    /** Errant transactions on the only replica that could become master: a failover would be refused, so an ERROR. */
    @Test
    @MariaDbTopology(replicas = 2)
    void errantTransactionsOnTheOnlyPromotableReplicaAreAnError(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        db2.execute("INSERT INTO app.t VALUES (100, 100)");

        CliRun run = checkRepl(sandbox, Map.of("db3", "noMaster: true"));

        String errant = db2.queryString("SELECT @@gtid_binlog_pos").orElseThrow();
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] errant-gtid: " + db2 + ": has transactions the master "
                + sandbox.node("db1") + " does not have: " + errant + "; no replica without errant transactions can become the master");
    }

    /** Issue 17, item 6; mirrors MHA's t_slave_incorrect: a replica whose replication was reset is named as no replica. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ReplicationMode.class)
    void aReplicaWhoseReplicationWasResetIsNoReplica(ReplicationMode mode) throws IOException {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode))) {
            load(sandbox);
            ServerNode db3 = sandbox.node("db3");
            db3.execute("STOP SLAVE", "RESET SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE=''");

            CliRun run = checkRepl(sandbox);

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("[ERROR] replicates-from-master: " + db3 + ": names the master " + sandbox.master()
                    + " as its source but has no position in its binlog (replication was reset: Master_Log_File is empty)");
        }
    }

    /** A replica's IO thread sees its master's death only when scheduled: on a loaded machine, after check-repl could start. */
    private static void awaitIoThreadNotRunning(ServerNode replica) throws InterruptedException {
        long deadline = System.nanoTime() + SYNC.toNanos();
        while (replica.replicaStatus("Slave_IO_Running").orElse("").equals("Yes")) {
            assertThat(System.nanoTime()).as(replica + " IO thread never saw the master go").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitSqlThreadStopped(ServerNode replica) throws InterruptedException {
        long deadline = System.nanoTime() + SYNC.toNanos();
        while (!replica.replicaStatus("Slave_SQL_Running").orElse("").equals("No")) {
            assertThat(System.nanoTime()).as(replica + " SQL thread never stopped").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void differentFiltersOnOneReplicaBreakReplicationFilters(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db3 = sandbox.node("db3");
        db3.execute("STOP SLAVE", "SET GLOBAL replicate_ignore_db = 'scratch'", "START SLAVE");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] replication-filters: " + db3
                + ": replication filters differ: Replicate_Ignore_DB=scratch (others: no filters)");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void deadReplicaBreaksAliveUnlessIgnoreFail(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db3 = sandbox.node("db3");
        db3.kill();

        CliRun run = checkRepl(sandbox);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] alive: " + db3 + ": dead: cannot connect")
                .contains(db3 + " (dead)");

        // issue 17, item 7; mirrors MHA's t_ignore_nostart: ignoreFail lets a failover go on without the
        // server, but the start-up check still fails on it unless told --ignore-fail-on-start
        CliRun notOnStart = checkRepl(sandbox, Map.of("db3", "ignoreFail: true"));
        assertThat(notOnStart.exit()).as(notOnStart.toString()).isEqualTo(1);
        assertThat(notOnStart.out()).contains("[ERROR] alive: " + db3 + ": dead: cannot connect")
                .contains("(ignoreFail: pass --ignore-fail-on-start to start without it)");

        CliRun ignored = checkRepl(sandbox, Map.of("db3", "ignoreFail: true"), "--ignore-fail-on-start");
        assertThat(ignored.exit()).as(ignored.toString()).isZero();
        assertThat(ignored.out()).contains("[WARN] alive: " + db3 + ": dead: cannot connect");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void hungReplicaCountsAsDeadWithinTheConnectTimeout(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        db2.pause();
        try {
            CliRun run = checkRepl(sandbox);
            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("[ERROR] alive: " + db2 + ": dead:");
        } finally {
            db2.resume();
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void deadMasterIsNamedAsTheMaster(Sandbox sandbox) throws Exception {
        load(sandbox);
        sandbox.master().kill();
        awaitIoThreadNotRunning(sandbox.node("db2"));

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).startsWith(sandbox.master() + " (current master, dead)\n")
                .contains("[ERROR] alive: " + sandbox.master() + ": the master is dead: cannot connect")
                .contains("[ERROR] replication-running: " + sandbox.node("db2") + ": IO thread is connecting");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void laggingReplicaBreaksReplicationLag(Sandbox sandbox) throws Exception {
        load(sandbox);
        ServerNode db2 = sandbox.node("db2");
        // Hold a table lock on the replica: its SQL thread blocks on the next event and falls behind in time.
        try (Connection lock = db2.connect(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES app.t WRITE");
            sandbox.master().execute("INSERT INTO app.t VALUES (3, 3)");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Long.parseLong(db2.replicaStatus("Seconds_Behind_Master").orElse("0")) < 3) {
                assertThat(System.nanoTime()).as("replica never lagged 3 s").isLessThan(deadline);
                Thread.sleep(200);
            }

            CliRun run = checkRepl(sandbox, "--seconds-behind-master", "2");

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).containsPattern("\\[ERROR] replication-lag: " + java.util.regex.Pattern.quote(db2.toString())
                    + ": lags \\d+ s behind the master \\(limit 2 s\\)");
            assertThat(run.out()).doesNotContain("replication-lag: " + sandbox.node("db3"));
        }
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void replicaByFilePositionAmongGtidReplicasBreaksGtidMode(Sandbox sandbox) throws IOException {
        load(sandbox);
        ServerNode db4 = sandbox.node("db4");
        String file = sandbox.master().queryString("SELECT 'mysql-bin.000001'").orElseThrow();
        db4.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_USE_GTID=no, MASTER_LOG_FILE='" + file + "', MASTER_LOG_POS=4",
                "START SLAVE");

        CliRun run = checkRepl(sandbox);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] gtid-mode: " + db4
                + ": replicates by binlog file and position, others by GTID auto-positioning");
    }

    @Test
    void replicaWithoutLogBinBreaksLogBinUnlessNoMaster(@TempDir Path tmp) throws IOException {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, ReplicationMode.GTID).withOptions(3, "skip-log-bin"))) {
            load(sandbox);
            ServerNode db3 = sandbox.node("db3");

            CliRun run = checkRepl(sandbox);
            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("[ERROR] log-bin: " + db3 + ": log_bin is OFF, so it cannot become master");

            CliRun noMaster = checkRepl(sandbox, Map.of("db3", "noMaster: true"));
            assertThat(noMaster.exit()).as(noMaster.toString()).isZero();
            assertThat(noMaster.out()).doesNotContain("log-bin");
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void noPromotableReplicaBreaksPromotableReplica(Sandbox sandbox) throws IOException {
        load(sandbox);

        CliRun run = checkRepl(sandbox, Map.of("db2", "noMaster: true"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[ERROR] promotable-replica: cluster test: no replica can become the master");
    }
}
