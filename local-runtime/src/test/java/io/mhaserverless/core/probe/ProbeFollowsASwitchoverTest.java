package io.mhaserverless.core.probe;

import static io.mhaserverless.core.probe.Watching.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A planned switchover moves the master under a running prober: the prober must neither fail the
 * demoted master over (it answers, read-only) nor keep watching it, but follow the switchover and
 * watch the new master, whose death it then fails over.
 */
class ProbeFollowsASwitchoverTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void theProberFollowsASwitchoverAndWatchesTheNewMaster(Sandbox sandbox) throws Exception {
        try (Watching w = new Watching(sandbox, "pingInterval: 500ms\npingFailures: 3\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();

            LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(w.config.cluster(), () -> w.config, WriterIp.NONE,
                    new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
                            sandbox.directory().resolve("node-agent-operator"), Duration.ofSeconds(60)),
                    w.store, new ConsoleNotifier(new PrintWriter(System.out, true), Optional.empty()),
                    (phase, message) -> System.out.println("[operator " + phase + "] " + message), Clock.systemUTC(), Duration.ofSeconds(30));
            LocalFailover.Result switched = LocalFailover.bundled().run(LocalFailover.switchoverInput(w.config.cluster(), "db2", true, 1,
                    false), runtime, (phase, message) -> System.out.println("[operator " + phase + "] " + message));
            assertThat(switched.outcome()).as(switched.cause()).isEqualTo(FailoverOutcome.SUCCEEDED);

            assertThat(w.await(s -> s.step().equals("discover") && s.verdict().equals("master") && "db2".equals(s.master()),
                    Duration.ofSeconds(90))).as("the prober watches the new master").isPresent();
            assertThat(w.started).as("a switchover is no death").isEmpty();

            sandbox.node("db2").kill();
            assertThat(w.await(step("start", "started"), Duration.ofSeconds(30))).isPresent();
            assertThat(w.failovers).hasSize(1);
            assertThat(w.failovers.get(0).outcome()).isEqualTo(FailoverOutcome.SUCCEEDED);
        }
    }
}
