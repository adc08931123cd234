package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A switchover whose controller died after its first state is finished by the next `mha
 * switchover`, from SwitchMaster, under the dead controller's execution id; `mha failover` does not
 * take it over.
 */
class SwitchoverResumeTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void aKilledControllersSwitchoverIsFinishedByTheNextSwitchoverOnly(Sandbox sandbox) throws Exception {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        ClusterConfig config = ConfigLoader.parseYaml(SandboxConfig.yaml("test", sandbox, n -> ""), "test.yaml");
        List<String> lines = new ArrayList<>();
        Progress progress = (phase, message) -> lines.add(phase + ": " + message);
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime("test", () -> config, WriterIp.NONE, NodeAgent.NONE,
                new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()), (subject, text, json) -> lines.add(text),
                progress, Clock.systemUTC(), Duration.ofSeconds(30));
        ObjectNode input = LocalFailover.switchoverInput("test", "db2", true, 1, false);

        // a controller that ran CheckSwitchover, then died (a process of ours that has exited)
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = new LocalExecutionId(LocalExecutionId.thisHost(), gone.pid(), UUID.randomUUID().toString()).arn();
        new FailoverWorkflow(runtime).handle(FailoverWorkflow.json().createObjectNode().put("step", "CheckSwitchover")
                .put("execution", dead).set("input", input));

        LocalFailover.Result asFailover = LocalFailover.bundled().run(LocalFailover.input("test", null, null, false, false), runtime,
                progress);
        assertThat(asFailover.error()).as("a failover does not finish a switchover").isEqualTo("FailoverAlreadyRunning");

        LocalFailover.Result resumed = LocalFailover.bundled().run(input, runtime, progress);
        assertThat(resumed.outcome()).as(String.join("\n", lines)).isEqualTo(FailoverOutcome.SUCCEEDED);
        assertThat(resumed.execution().arn()).isEqualTo(dead);
        assertThat(lines).anyMatch(l -> l.startsWith("Resume: finishing the unfinished failover of test at SwitchMaster"));
        assertThat(sandbox.node("db2").queryString("SELECT @@read_only")).contains("0");
        assertThat(sandbox.master().replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));
    }
}
