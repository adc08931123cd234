package io.mhaserverless.core.probe;

import static io.mhaserverless.core.probe.Watching.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The probe function's hand-over, one invocation to the next: the first watches until its end and
 * lets the lease go; the next, started before that end, stands by and takes over at once. The
 * watch goes on without a second prober and without a gap worth a ping.
 */
class ProbeHandOverTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void theNextInvocationTakesOverWhenThePreviousEndsAndStillDetectsADeath(Sandbox sandbox) throws Exception {
        String config = "pingInterval: 500ms\npingFailures: 3\n";
        // long enough that the first is still watching when the second starts, even on a loaded machine
        Instant firstEnds = Instant.now().plusSeconds(10);
        Watching first = new Watching(sandbox, "invocation-1", config, Map.of(), s -> s).start(firstEnds);
        Watching second = new Watching(sandbox, "invocation-2", config, Map.of(), s -> s);
        try {
            assertThat(first.await(step("discover", "master"), Duration.ofSeconds(10))).isPresent();
            Thread.sleep(1500);
            second.start(Instant.now().plusSeconds(60));
            assertThat(second.await(step("lease", "standby"), Duration.ofSeconds(5))).as("the successor waits its turn").isPresent();

            ProbeStep released = first.await(step("lease", "released"), Duration.ofSeconds(20)).orElseThrow();
            ProbeStep tookOver = second.await(step("lease", "held"), Duration.ofSeconds(10)).orElseThrow();
            ProbeStep watching = second.await(step("discover", "master"), Duration.ofSeconds(10)).orElseThrow();
            first.awaitEnd(Duration.ofSeconds(10));
            long gap = watching.at().toEpochMilli() - released.at().toEpochMilli();
            System.out.println("hand-over: lease released -> taken " + (tookOver.at().toEpochMilli() - released.at().toEpochMilli())
                    + " ms, -> watching (first ping next) " + gap + " ms; pingInterval 500 ms");
            assertThat(tookOver.at()).as("never two probers at once").isAfterOrEqualTo(released.at());

            sandbox.master().kill();
            assertThat(second.await(step("start", "started"), Duration.ofSeconds(30))).isPresent();
            assertThat(second.failovers).hasSize(1);
            assertThat(first.started).isEmpty();
        } finally {
            second.stop();
            first.stop();
        }
    }
}
