package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.functions.ProbeFunction;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Automatic failover end to end, here: nobody starts an execution. The probe function, in its own
 * Micronaut context as its Lambda starts it, watches the cluster through DynamoDB Local, the
 * Parameter Store and Step Functions of the wire-level fake; the master is killed; the probe
 * starts the execution of the real asl.json under the death's name, and the failover succeeds.
 */
class LocalProbeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @MariaDbTopology(replicas = 2)
    void aProbeInvocationDetectsTheKillAndStartsTheFailoverOnceWhichSucceeds(Sandbox sandbox) throws Exception {
        try (StdoutCapture stdout = new StdoutCapture(); LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            // the kill at 3 s, then pings, the replicas' word and StartExecution: room for a loaded machine
            ProbeFunction probe = stack.probeFunction(Duration.ofSeconds(20));
            ServerNode master = sandbox.master();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                    master.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();

            JsonNode answer = invoke(probe);
            killer.join();

            JsonNode started = answer.path("clusters").get(0).path("started");
            assertThat(answer.path("clusters").get(0).path("cluster").asText()).isEqualTo(LocalAwsStack.CLUSTER);
            assertThat(started).as(answer.toString()).hasSize(1);
            String execution = started.get(0).path("executionId").asText();
            assertThat(execution).contains(":execution:mha-failover:app1-db1-");
            DescribeExecutionResponse done = stack.await(execution, Duration.ofMinutes(2));
            assertThat(done.status()).as(done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).singleElement()
                    .satisfies(r -> assertThat(r.outcome()).isEqualTo("succeeded"));
            assertThat(stack.aws.calls("StartExecution")).hasSize(1);
            // CloudWatch: the probe's heartbeat and pings, and the detection, as EMF lines on the function's stdout
            List<String> emf = stdout.lines().stream().filter(l -> l.startsWith("{\"_aws\"")).toList();
            assertThat(emf).anySatisfy(l -> assertThat(l).contains("\"ProbeHeartbeat\":1.0", "\"Cluster\":\"app1\"", "PingFailures"));
            assertThat(emf).anySatisfy(l -> assertThat(l).contains("\"Detections\":1.0", "DetectionTime"));

            // The next invocation watches the new master and starts nothing more.
            JsonNode next = invoke(stack.probeFunction(Duration.ofSeconds(3)));
            assertThat(next.path("clusters").get(0).path("started")).as(next.toString()).isEmpty();
            StateStore.ProbeStatus status = stack.stateStore.probeStatus(LocalAwsStack.CLUSTER).orElseThrow();
            assertThat(status.seen().master()).isNotEqualTo("db1");
            assertThat(status.owner()).as("released at the end of the invocation").isNull();
        }
    }

    private static JsonNode invoke(ProbeFunction probe) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        probe.handleRequest(new ByteArrayInputStream("{\"source\":\"schedule\"}".getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
