package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, item 1. Mirrors MHA's t_apply_many_logs, t_apply_many_logs3, t_keep_relay_log_purge,
 * t_latest_recovery2 and t_needsync_flush: the first latest replica (db2) has purged its old relay
 * logs (relay_log_purge=1), another latest replica (db3) kept them, and a lagging replica (db4) needs
 * what only db3's relay logs (or the dead master's binlog) still hold. MHA's
 * find_slave_with_all_relay_logs picks db3 as the base; without that search db4 was left with
 * different data (exit 10), or, promoted, could not catch up (exit 1).
 *
 * <p>Beyond MHA (which marks such a replica lack_relay_log / no_master and leaves it behind): when no
 * latest replica holds them, the dead master's binlog is read from the lagging position while its
 * host answers; only when it does not is the replica left out, and then never promoted.
 */
class RelayLogSourceTest {

    private static final String TABLE = "app.t";

    @TempDir
    Path work;

    /**
     * Three batches of 20 rows: db4 stops receiving after the first; after the second, each server
     * of {@code purging} deletes the relay logs that held batches 1 and 2 (relay_log_purge=ON, FLUSH
     * RELAY LOGS: the SQL thread removes every file it is done with); the third reaches db2 and db3
     * only. Then db1 is killed. Returns every row db1 committed.
     */
    private static Set<Long> purgeAndKill(Sandbox sandbox, List<String> purging) {
        ServerNode master = sandbox.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, pad VARCHAR(200))");
        sandbox.sync(Duration.ofSeconds(30));
        Set<Long> committed = new HashSet<>();
        List<ServerNode> receiving = List.of(sandbox.node("db2"), sandbox.node("db3"));
        for (int batch = 1; batch <= 3; batch++) {
            for (int i = 0; i < 20; i++) {
                long id = batch * 1000L + i;
                master.execute("INSERT INTO " + TABLE + " VALUES (" + id + ", REPEAT('p', 200))");
                committed.add(id);
            }
            if (batch == 1) {
                sandbox.sync(Duration.ofSeconds(30));
                sandbox.node("db4").stopIoThread();
            } else {
                sandbox.sync(master, receiving, Duration.ofSeconds(30));
            }
            if (batch == 2) {
                purging.forEach(name -> purgeRelayLogs(sandbox.node(name)));
            }
        }
        master.kill();
        return committed;
    }

    /**
     * What relay_log_purge=ON does to a replica that is done with its relay logs: FLUSH RELAY LOGS
     * deletes every file before the one the SQL thread reads, so a second FLUSH, once the SQL thread
     * moved into the file the first one opened, deletes all that held events.
     */
    private static void purgeRelayLogs(ServerNode n) {
        List<String> before = relayLogs(n);
        n.execute("SET GLOBAL relay_log_purge=ON", "FLUSH RELAY LOGS");
        await(() -> n + " SQL thread moves into the newest relay log of " + relayLogs(n) + ", reads "
                + n.replicaStatus("Relay_Log_File"), () -> {
            List<String> now = relayLogs(n);
            return n.replicaStatus("Relay_Log_File").orElse("").equals(Path.of(now.get(now.size() - 1)).getFileName().toString());
        });
        n.execute("FLUSH RELAY LOGS");
        // The SQL thread purges when it rotates into the new file, after FLUSH returns: purging stays on until it has.
        await(() -> n + " purges " + before, () -> before.stream().noneMatch(f -> Files.exists(n.dataDir().resolve(f))));
        n.execute("SET GLOBAL relay_log_purge=OFF");
    }

    private static List<String> relayLogs(ServerNode n) {
        try {
            return Files.readAllLines(n.dataDir().resolve("relay-bin.index"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(java.util.function.Supplier<String> what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(() -> what.get() + ": not within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aLaggingReplicaIsRecoveredFromTheLatestReplicaThatStillHoldsItsRelayLogs(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, mode))) {
            Set<Long> committed = purgeAndKill(sandbox, List.of("db2"));
            LocalCluster cluster = new LocalCluster(sandbox, work);

            FailoverRun.Result result = cluster.failover();

            assertThat(result.state().latest()).containsExactly("db2", "db3");
            assertThat(result.state().oldest()).containsExactly("db4");
            if (mode == ReplicationMode.FILE) {
                assertThat(result.state().recoverySource().name()).as("MHA's find_slave_with_all_relay_logs").isEqualTo("db3");
                assertThat(result.report().text()).contains("The latest replica " + sandbox.node("db3") + " has all relay logs");
            }
            cluster.assertRecovered(result, TABLE, committed);
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aLaggingCandidateMasterCatchesUpFromTheLatestReplicaThatStillHoldsItsRelayLogs(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, mode))) {
            Set<Long> committed = purgeAndKill(sandbox, List.of("db2"));
            LocalCluster cluster = new LocalCluster(sandbox, work, Map.of("db4", "candidateMaster: true"));

            FailoverRun.Result result = cluster.failover();

            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(result.state().newMaster()).isEqualTo("db4");
            cluster.assertRecovered(result, TABLE, committed);
        }
    }

    /** No latest replica holds db4's relay logs: the dead master's binlog, read from db4's position, has them. */
    @Test
    void withNoLatestReplicaHoldingThemTheDeadMastersBinlogIsReadFromTheLaggingPosition() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, ReplicationMode.FILE))) {
            Set<Long> committed = purgeAndKill(sandbox, List.of("db2", "db3"));
            LocalCluster cluster = new LocalCluster(sandbox, work, Map.of("db4", "candidateMaster: true"));

            FailoverRun.Result result = cluster.failover();

            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(result.state().newMaster()).isEqualTo("db4");
            assertThat(result.report().text()).contains("no latest replica holds the relay logs " + sandbox.node("db4") + " needs");
            cluster.assertRecovered(result, TABLE, committed);
        }
    }

    /**
     * Neither a latest replica's relay logs nor the dead master's disk: db4 cannot be brought up, so
     * (MHA: lack_relay_log, no_master) it is not promoted though it is the candidateMaster, it is
     * left out and reported, and the failover still gives the others a master.
     */
    @Test
    void withNeitherRelayLogsNorTheDeadMastersDiskTheLaggingReplicaIsNeitherPromotedNorRecovered() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, ReplicationMode.FILE))) {
            purgeAndKill(sandbox, List.of("db2", "db3"));
            LocalCluster.takeHostAway(sandbox.master());
            LocalCluster cluster = new LocalCluster(sandbox, work, Map.of("db4", "candidateMaster: true"));

            FailoverRun.Result result = cluster.failover();

            // the dead master's binlog is out of reach: what only it had may be lost, which its exit code says first
            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.POSSIBLE_LOSS);
            assertThat(result.state().newMaster()).isIn("db2", "db3");
            FailoverState.ReplicaOutcome db4 = result.state().outcomes().stream().filter(o -> o.name().equals("db4")).findFirst()
                    .orElseThrow();
            assertThat(db4.ok()).isFalse();
            assertThat(db4.message()).contains("no latest replica holds the relay logs it needs")
                    .contains("the dead master's binlog is out of reach");
            assertThat(sandbox.node("db4").replicaStatus("Master_Port")).as("db4 is left as it was")
                    .contains(Integer.toString(sandbox.master().port()));
            // issue 17, item 8: its error is said once, in the progress and in the report, naming db4 once
            assertThat(result.progress()).filteredOn(l -> l.contains("db4: ERROR")).hasSize(1);
            assertThat(result.report().text()).containsOnlyOnce("ERROR: ")
                    .contains(sandbox.node("db4") + ": ERROR: no latest replica holds the relay logs it needs");
        }
    }
}
