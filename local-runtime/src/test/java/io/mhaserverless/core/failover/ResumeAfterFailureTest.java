package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failover that failed half-way is finished by running it again, from the state after the last
 * one it completed; it is never started over (a fresh CheckConfiguration would refuse the
 * half-changed topology).
 */
class ResumeAfterFailureTest {

    /** A writer address that cannot move until the operator has fixed it. */
    private static final class BrokenUntilFixed implements WriterIp {
        volatile boolean fixed;
        final List<String> assigned = new ArrayList<>();

        @Override
        public void release(ServerConfig oldMaster) {
        }

        @Override
        public void assign(ServerConfig newMaster) {
            if (!fixed) {
                throw new IllegalStateException("the writer address belongs to another subnet");
            }
            assigned.add(newMaster.name());
        }

        @Override
        public String describe() {
            return "a writer address an operator fixes between two runs";
        }
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void aFailedFailoverIsFinishedFromTheFailedPhase(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2)");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.master().kill();
        Map<String, String> received = FailoverAssertions.received(cluster, sandbox.master());
        FileStateStore store = new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC());
        BrokenUntilFixed writer = new BrokenUntilFixed();

        FailoverRun.Result failed = cluster.failover(null, null, false, writer, NodeAgent.NONE);

        assertThat(failed.outcome()).isEqualTo(FailoverOutcome.FAILED);
        assertThat(failed.report().text()).contains("Failover stopped in MoveWriterIp");
        assertThat(store.progress("test")).get().extracting(StateStore.Progress::completedState).isEqualTo("RecoverNewMaster");
        String firstExecution = store.progress("test").orElseThrow().executionId();

        writer.fixed = true;
        FailoverRun.Result finished = cluster.failover(null, null, false, writer, NodeAgent.NONE);

        assertThat(finished.outcome()).as(finished.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(finished));
        assertThat(finished.report().text()).contains("failover " + firstExecution + " was resumed at MoveWriterIp");
        // the phases before MoveWriterIp were not run again: the new master chosen the first time stands
        assertThat(writer.assigned).containsExactly(finished.state().newMaster());
        assertThat(store.progress("test")).isEmpty();
        assertThat(store.lastFailover("test")).get().extracting(StateStore.LastFailover::status)
                .isEqualTo(StateStore.LastFailover.Status.COMPLETED);
        FailoverAssertions.assertHealthyAfterFailover(cluster, finished, received);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aCompletedFailoverLeavesNothingToResume(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.master().kill();

        FailoverRun.Result done = cluster.failover(null, null, false);

        assertThat(done.outcome()).as(done.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(done));
        assertThat(done.report().text()).doesNotContain("resumed");
        assertThat(new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()).progress("test")).isEmpty();
    }
}
