package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A phase that stops on a lost or timed-out connection is retried by the state machine and the
 * failover completes; it is not recorded as "failover error", which would block the next failover
 * until an operator acknowledges it. A failure of the failover itself is not retried.
 */
class TransientFailureRetryTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void aTimedOutConnectionIsRetriedAndTheFailoverCompletes(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        AtomicInteger assigns = new AtomicInteger();
        WriterIp flaky = new WriterIp() {
            @Override
            public void release(ServerConfig oldMaster) {
            }

            @Override
            public void assign(ServerConfig newMaster) {
                if (assigns.incrementAndGet() == 1) {
                    throw new UncheckedIOException("the writer address service did not answer",
                            new SocketTimeoutException("Read timed out"));
                }
            }

            @Override
            public String describe() {
                return "a writer address that times out once";
            }
        };

        FailoverRun.Result result = cluster.failover(null, null, false, flaky, NodeAgent.NONE);

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(result));
        assertThat(assigns).hasValue(2);
        assertThat(new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()).lastFailover("test"))
                .hasValueSatisfying(l -> assertThat(l.status()).isEqualTo(io.mhaserverless.core.port.StateStore.LastFailover.Status.COMPLETED));
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aFailureOfTheFailoverItselfIsNotRetried(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        AtomicInteger assigns = new AtomicInteger();
        WriterIp refusing = new WriterIp() {
            @Override
            public void release(ServerConfig oldMaster) {
            }

            @Override
            public void assign(ServerConfig newMaster) {
                assigns.incrementAndGet();
                throw new IllegalStateException("the writer address belongs to another subnet");
            }

            @Override
            public String describe() {
                return "a writer address that cannot move";
            }
        };

        FailoverRun.Result result = cluster.failover(null, null, false, refusing, NodeAgent.NONE);

        assertThat(result.outcome()).isEqualTo(FailoverOutcome.FAILED);
        assertThat(assigns).hasValue(1);
        assertThat(result.report().text()).contains("Failover stopped in MoveWriterIp");
    }
}
