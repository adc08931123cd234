package io.mhaserverless.core.failover;

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
        for (Phase phase : FailoverEngine.PHASES) {
            FailoverState first = phase.apply(state, context);
            Map<String, String> afterFirst = cluster.fingerprint();
            FailoverState second = phase.apply(state, context);
            assertThat(second).as(phase.name() + " state").isEqualTo(first);
            assertThat(cluster.fingerprint()).as(phase.name() + " servers").isEqualTo(afterFirst);
            state = first.withPhase(new FailoverState.PhaseRecord(phase.name(), 0, 0, ""));
        }

        assertThat(state.newMaster()).isEqualTo("db2");
        FailoverEngine.Result result = new FailoverEngine.Result(state, FailoverOutcome.SUCCEEDED,
                FailoverReport.of(state, cluster.config, FailoverOutcome.SUCCEEDED, null, null));
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }
}
