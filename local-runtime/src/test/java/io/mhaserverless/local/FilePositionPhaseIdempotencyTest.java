package io.mhaserverless.local;

import io.mhaserverless.local.adapter.LocalNodeAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Phase;
import io.mhaserverless.core.failover.PhaseName;
import io.mhaserverless.core.failover.Phases;
import io.mhaserverless.core.failover.RecoverReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phases that apply relay-log diffs and the dead master's saved binlog must not apply them
 * twice when run twice (a Step Functions retry): same state, same servers, same data.
 */
class FilePositionPhaseIdempotencyTest {

    @TempDir
    Path work;

    private static Map<String, String> fingerprint(Sandbox sandbox) {
        Map<String, String> result = new TreeMap<>();
        for (ServerNode n : sandbox.nodes()) {
            if (n.state() != ServerNode.State.RUNNING) {
                continue;
            }
            result.put(n.name(), String.join("|",
                    n.queryString("SELECT CONCAT_WS(',', @@gtid_binlog_state, @@read_only)").orElse(""),
                    n.queryString("SELECT COUNT(*) FROM " + WriteLoad.TABLE).orElse(""),
                    n.replicaStatus("Master_Port").orElse("-"),
                    n.replicaStatus("Slave_SQL_Running").orElse("-")));
        }
        return result;
    }

    @Test
    @MariaDbTopology(replicas = 3, mode = ReplicationMode.FILE)
    void everyPhaseTwiceGivesTheSameStateServersAndRows(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        WriteLoad.createTable(master.host(), master.port());
        Set<Long> acknowledged;
        try (WriteLoad load = new WriteLoad(master.host(), master.port(), false)) {
            Thread.sleep(200);
            sandbox.node("db2").stopIoThread(); // db2 lags: relay-log diff
            sandbox.node("db4").flushRelayLogs();
            Thread.sleep(200);
            sandbox.node("db3").stopIoThread();
            sandbox.node("db4").stopIoThread(); // everyone lags the master: its saved binlog is needed
            Thread.sleep(200);
            master.kill();
            load.close();
            acknowledged = new HashSet<>(load.acknowledged());
        }
        LocalCluster cluster = new LocalCluster(sandbox, work);
        FailoverContext context = FailoverContext.builder(() -> cluster.config)
                .nodeAgent(new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD, work,
                        Duration.ofSeconds(120)))
                .progress((phase, message) -> System.out.println("[" + phase + "] " + message))
                .waitTimeout(Duration.ofSeconds(30))
                .build();

        FailoverState state = FailoverState.start("test", null, "db2", false, 0);
        for (Phase phase : Phases.TASKS) {
            if (phase.name() == PhaseName.CLEANUP) {
                state = recoverReplicasTwice(sandbox, state, context);
            }
            FailoverState first = phase.apply(state, context);
            Map<String, String> afterFirst = fingerprint(sandbox);
            FailoverState second = phase.apply(state, context);
            assertThat(second).as(phase.name() + " state").isEqualTo(first);
            assertThat(fingerprint(sandbox)).as(phase.name() + " servers").isEqualTo(afterFirst);
            state = first.withPhase(new FailoverState.PhaseRecord(phase.name().stateName(), 0, 0, ""));
        }

        assertThat(state.salvage().status()).isEqualTo(FailoverState.Salvage.Status.SAVED);
        FailoverReport report = FailoverReport.of(state, cluster.config, FailoverOutcome.SUCCEEDED, null, null);
        FailoverRun.Result result = new FailoverRun.Result(state, FailoverOutcome.SUCCEEDED,
                new FailoverRun.Report(report.subject(), report.text(), report.json()));
        cluster.assertRecovered(result, WriteLoad.TABLE, acknowledged);
    }

    /** Both Maps of file/position mode, each iteration run twice: same outcome, same servers. */
    private static FailoverState recoverReplicasTwice(Sandbox sandbox, FailoverState state, FailoverContext context) {
        RecoverReplicas recover = new RecoverReplicas();
        List<FailoverState.ReplicaOutcome> applied = new ArrayList<>();
        for (String replica : RecoverReplicas.targets(state)) {
            FailoverState.ReplicaOutcome first = recover.applyDiffs(state, context, replica);
            Map<String, String> afterFirst = fingerprint(sandbox);
            assertThat(recover.applyDiffs(state, context, replica)).as("ApplyRelayLogDiff " + replica).isEqualTo(first);
            assertThat(fingerprint(sandbox)).as("ApplyRelayLogDiff " + replica + " servers").isEqualTo(afterFirst);
            applied.add(first);
        }
        List<FailoverState.ReplicaOutcome> outcomes = new ArrayList<>();
        for (FailoverState.ReplicaOutcome pass : applied) {
            FailoverState.ReplicaOutcome first = recover.recover(state, context, pass.name(), Optional.of(pass));
            Map<String, String> afterFirst = fingerprint(sandbox);
            assertThat(recover.recover(state, context, pass.name(), Optional.of(pass))).as("RecoverReplica " + pass.name()).isEqualTo(first);
            assertThat(fingerprint(sandbox)).as("RecoverReplica " + pass.name() + " servers").isEqualTo(afterFirst);
            outcomes.add(first);
        }
        return state.withOutcomes(outcomes).withPhase(new FailoverState.PhaseRecord(PhaseName.RECOVER_REPLICAS.stateName(), 0, 0, ""));
    }
}
