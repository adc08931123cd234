package io.mhaserverless.core.failover;

import io.mhaserverless.local.FailoverRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Step Functions retries a phase whose Lambda timed out after it had acted, so every phase must be
 * safe to run twice: the second run from the same input returns the same state and leaves the
 * servers exactly as the first left them.
 */
class PhaseIdempotencyTest {

    @Test
    @MariaDbTopology(replicas = 3)
    void everyPhaseTwiceGivesTheSameStateAndTheSameServers(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "candidateMaster: true"));
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.node("db2").stopIoThread(); // the candidate lags: RecoverNewMaster must catch it up
        sandbox.master().execute("INSERT INTO app.t VALUES (2)", "INSERT INTO app.t VALUES (3)");
        sandbox.sync(sandbox.master(), java.util.List.of(sandbox.node("db3"), sandbox.node("db4")), Duration.ofSeconds(30));
        sandbox.master().kill();
        Map<String, String> received = FailoverAssertions.received(cluster, sandbox.master());

        FailoverContext context = cluster.context();
        FailoverState state = FailoverState.start("test", null, null, false, 0);
        for (Phase phase : Phases.TASKS) {
            if (phase.name() == PhaseName.CLEANUP) {
                state = recoverReplicasTwice(cluster, state, context);
            }
            FailoverState first = phase.apply(state, context);
            Map<String, String> afterFirst = cluster.fingerprint();
            FailoverState second = phase.apply(state, context);
            assertThat(second).as(phase.name() + " state").isEqualTo(first);
            assertThat(cluster.fingerprint()).as(phase.name() + " servers").isEqualTo(afterFirst);
            state = first.withPhase(new FailoverState.PhaseRecord(phase.name().stateName(), 0, 0, ""));
        }

        assertThat(state.newMaster()).isEqualTo("db2");
        FailoverOutcome outcome = state.lossPossible() ? FailoverOutcome.POSSIBLE_LOSS : FailoverOutcome.SUCCEEDED;
        FailoverReport report = FailoverReport.of(state, cluster.config, outcome, null, null);
        FailoverRun.Result result = new FailoverRun.Result(state, outcome,
                new FailoverRun.Report(report.subject(), report.text(), report.json()));
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    /** The Map's iteration per replica, each run twice: same outcome, same servers. */
    private static FailoverState recoverReplicasTwice(Cluster cluster, FailoverState state, FailoverContext context) {
        RecoverReplicas recover = new RecoverReplicas();
        java.util.List<FailoverState.ReplicaOutcome> outcomes = new java.util.ArrayList<>();
        for (String replica : RecoverReplicas.targets(state)) {
            FailoverState.ReplicaOutcome first = recover.recover(state, context, replica, java.util.Optional.empty());
            Map<String, String> afterFirst = cluster.fingerprint();
            FailoverState.ReplicaOutcome second = recover.recover(state, context, replica, java.util.Optional.empty());
            assertThat(second).as("RecoverReplica " + replica).isEqualTo(first);
            assertThat(cluster.fingerprint()).as("RecoverReplica " + replica + " servers").isEqualTo(afterFirst);
            outcomes.add(first);
        }
        return state.withOutcomes(outcomes).withPhase(new FailoverState.PhaseRecord(PhaseName.RECOVER_REPLICAS.stateName(), 0, 0, ""));
    }
}
