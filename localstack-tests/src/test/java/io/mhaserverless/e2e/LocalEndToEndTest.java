package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.local.statemachine.Event;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.functions.aws.FatalFailure;
import io.mhaserverless.functions.fake.FakeSns;
import io.mhaserverless.functions.fake.FakeSsm;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The product end to end, here: a real MariaDB topology fails, an operator starts the execution
 * of the real asl.json, and the phase function does the failover through DynamoDB Local and the
 * wire-level fakes of EC2, SSM, SNS and Secrets Manager.
 */
class LocalEndToEndTest {

    private static final String INPUT = "{\"cluster\":\"app1\",\"mode\":\"failover\",\"deadMaster\":\"db1\",\"newMaster\":null,\"force\":false}";

    @TempDir
    Path dir;

    @Test
    @MariaDbTopology(replicas = 3, mode = ReplicationMode.GTID)
    void aKilledMasterIsFailedOverByTheStateMachineAndNothingAcknowledgedIsLost(Sandbox sandbox) throws Exception {
        try (StdoutCapture stdout = new StdoutCapture(); LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            ServerNode master = sandbox.master();
            WriteLoad.createTable(master.host(), master.port());
            sandbox.sync(Duration.ofSeconds(30));
            WriteLoad load = new WriteLoad(master.host(), master.port(), false);
            Thread.sleep(1500);
            master.kill();
            load.close();

            long t0 = System.nanoTime();
            String arn = stack.start(INPUT);
            DescribeExecutionResponse done = stack.await(arn, Duration.ofMinutes(3));
            long wall = (System.nanoTime() - t0) / 1_000_000;

            assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            JsonNode output = new com.fasterxml.jackson.databind.ObjectMapper().readTree(done.output());
            String newMaster = output.path("newMaster").asText();
            assertThat(output.path("outcome").asText()).isEqualTo("succeeded");
            ServerNode promoted = sandbox.node(newMaster);

            // the writer IP: on the new master's ENI, and on no other (holders: the instances whose ENIs hold it)
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).containsExactly(LocalAwsStack.instanceId(promoted));
            // the host side: bind-ip sent to the new master's instance through the SSM document
            List<FakeSsm.CommandRun> binds = stack.aws.ssm().commands().stream()
                    .filter(c -> "bind-ip".equals(c.parameter("subcommand"))).toList();
            assertThat(binds).extracting(FakeSsm.CommandRun::instanceId).containsExactly(LocalAwsStack.instanceId(promoted));
            assertThat(binds.get(0).parameter("arguments")).contains(LocalAwsStack.WRITER_IP);
            // no secret on any command line
            assertThat(stack.aws.ssm().commands()).allSatisfy(c -> assertThat(c.parameters().toString())
                    .doesNotContain(io.mhaserverless.testbed.SandboxCredentials.ADMIN_PASSWORD));
            // DynamoDB: the history row with the execution ARN, the last-failover record, the lock gone
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).singleElement()
                    .satisfies(h -> {
                        assertThat(h.executionId()).isEqualTo(arn);
                        assertThat(h.outcome()).isEqualTo("succeeded");
                        assertThat(h.newMaster()).isEqualTo(newMaster);
                    });
            assertThat(stack.stateStore.lastFailover(LocalAwsStack.CLUSTER)).get()
                    .satisfies(l -> assertThat(l.status()).isEqualTo(LastFailover.Status.COMPLETED));
            assertThat(stack.stateStore.lock(LocalAwsStack.CLUSTER, "someone-else", Duration.ofSeconds(1))).isTrue();
            // one SNS message: the report, text for email and JSON for chat
            assertThat(stack.aws.sns().published()).singleElement().satisfies(p -> {
                assertThat(p.subject()).hasSizeLessThanOrEqualTo(100).contains("succeeded");
                assertThat(p.messageStructure()).isEqualTo("json");
                assertThat(p.message()).contains("Failover Report", "\\\"outcome\\\"");
            });
            // the data: every acknowledged write is on the new master, and the survivors agree
            assertThat(load.missingOn(promoted.host(), promoted.port())).isZero();
            Checksums sums = sandbox.syncAndChecksum(promoted, Duration.ofSeconds(30));
            assertThat(sums.consistent()).as(sums.differences().toString()).isTrue();
            for (ServerNode n : sandbox.nodes()) {
                if (n != promoted && n != master) {
                    assertThat(n.replicaStatus("Master_Port")).contains(Integer.toString(promoted.port()));
                }
            }
            // CloudWatch: the failover's figures as EMF lines on the function's stdout
            List<JsonNode> emf = new java.util.ArrayList<>();
            for (String line : stdout.lines()) {
                if (line.startsWith("{\"_aws\"")) {
                    emf.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
                }
            }
            assertThat(emf).filteredOn(l -> l.has("Failovers")).singleElement().satisfies(l -> {
                assertThat(l.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("MHA");
                assertThat(l.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText()).isEqualTo("Cluster");
                assertThat(l.get("Cluster").asText()).isEqualTo(LocalAwsStack.CLUSTER);
                assertThat(l.get("Outcome").asText()).isEqualTo("succeeded");
                assertThat(l.get("FailoverSucceeded").asInt()).isEqualTo(1);
                assertThat(l.get("FailoverFailed").asInt()).isZero();
                assertThat(l.get("ReplicasNotRecovered").asInt()).isZero();
                assertThat(l.get("TimeToWritable").asLong()).isPositive().isLessThanOrEqualTo(l.get("FailoverTime").asLong());
                assertThat(l.get("BytesPossiblyLost").asLong()).isZero();
            });
            assertThat(emf).filteredOn(l -> l.has("PhaseTime")).extracting(l -> l.get("Phase").asText())
                    .contains("CheckConfiguration", "FenceDeadMaster", "RecoverNewMaster", "MoveWriterIp", "Cleanup");
            System.out.println("[e2e] failover of " + sandbox.nodes().size() + " servers, execution wall time " + wall + " ms; steps: "
                    + String.join(", ", stack.steps));
            System.out.println("[e2e] states: " + stateTimes(stack.histories.get(arn)));
        }
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aRetryableErrorIsRetriedByTheStateMachineAndTheFailoverSucceeds(Sandbox sandbox) throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            sandbox.master().kill();
            // EC2 throttles the writer IP's move once; the SDK makes one attempt, so the phase fails retryably
            stack.aws.failNext("AssignPrivateIpAddresses", 1, "RequestLimitExceeded", 503);

            String arn = stack.start(INPUT);
            DescribeExecutionResponse done = stack.await(arn, Duration.ofMinutes(3));

            assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            List<Event> history = stack.histories.get(arn);
            assertThat(history).filteredOn(e -> "StateFailed".equals(e.type()) && "MoveWriterIp".equals(e.state()))
                    .singleElement().satisfies(e -> assertThat(e.error()).isEqualTo("io.mhaserverless.functions.aws.RetryableFailure"));
            assertThat(history).filteredOn(e -> "StateRetried".equals(e.type())).extracting(Event::state)
                    .containsExactly("MoveWriterIp");
            assertThat(stack.steps.stream().filter(s -> s.startsWith("MoveWriterIp ")).count()).isEqualTo(2);
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).hasSize(1);
            assertThat(stack.aws.sns().published()).hasSize(1);
        }
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aFatalErrorInRecoverNewMasterIsReportedRecordedAndBlocksTheNextFailoverUntilAcknowledged(Sandbox sandbox)
            throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            sandbox.master().kill();
            stack.lambda(payload -> {
                if ("RecoverNewMaster".equals(payload.path("step").asText())) {
                    throw new FatalFailure("injected: the new master refused the saved binlog");
                }
                return stack.invoke(payload);
            });

            String first = stack.start(INPUT);
            DescribeExecutionResponse failed = stack.await(first, Duration.ofMinutes(3));

            assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(failed.error()).isEqualTo("FailoverFailed");
            assertThat(failed.cause()).contains("RecoverNewMaster: injected: the new master refused the saved binlog");
            assertThat(stack.aws.sns().published()).singleElement().satisfies(p -> {
                assertThat(p.subject()).contains("failed").hasSizeLessThanOrEqualTo(100);
                assertThat(p.message()).contains("Failover stopped in RecoverNewMaster");
            });
            assertThat(stack.stateStore.lastFailover(LocalAwsStack.CLUSTER)).get().satisfies(l -> {
                assertThat(l.status()).isEqualTo(LastFailover.Status.ERROR);
                assertThat(l.executionId()).isEqualTo(first);
                assertThat(l.acknowledged()).isFalse();
            });
            // RecoverNewMaster never ran: the writer IP was released from the dead master and given to nobody
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).isEmpty();

            stack.lambda(stack::invoke);
            String second = stack.start(INPUT);
            DescribeExecutionResponse refused = stack.await(second, Duration.ofMinutes(1));
            assertThat(refused.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(refused.error()).isEqualTo("FailoverRefused");
            assertThat(refused.cause()).contains("failed", "mha ack --cluster app1", "ignoreLastFailover");
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).hasSize(1);

            // the operator has looked (mha ack): the next execution may run, and finishes the failover
            stack.stateStore.acknowledge(LocalAwsStack.CLUSTER, "dba");
            String third = stack.start(INPUT);
            DescribeExecutionResponse done = stack.await(third, Duration.ofMinutes(3));
            assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).hasSize(1);
        }
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void ofTwoExecutionsAtOnceExactlyOneFailsOverAndTheOtherEndsAsAlreadyRunning(Sandbox sandbox) throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            sandbox.master().kill();
            CountDownLatch oneEnded = new CountDownLatch(1);
            // the execution that got the lock waits in FenceDeadMaster until the other has ended: a real overlap
            stack.lambda(payload -> {
                if ("FenceDeadMaster".equals(payload.path("step").asText())) {
                    try {
                        oneEnded.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return stack.invoke(payload);
            });

            String a = stack.start(INPUT);
            String b = stack.start(INPUT);
            DescribeExecutionResponse first = awaitEither(stack, a, b);
            oneEnded.countDown();
            DescribeExecutionResponse second = stack.await(first.executionArn().equals(a) ? b : a, Duration.ofMinutes(3));

            assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(first.error()).isEqualTo("FailoverAlreadyRunning");
            assertThat(first.cause()).contains("failover already running for cluster app1");
            assertThat(second.status()).as(second.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).singleElement()
                    .satisfies(h -> assertThat(h.executionId()).isEqualTo(second.executionArn()));
            assertThat(stack.aws.sns().published()).extracting(FakeSns.Published::subject).singleElement()
                    .satisfies(s -> assertThat(s).contains("succeeded"));
            assertThat(stack.steps.stream().filter(s -> s.startsWith("CheckConfiguration")).count()).isEqualTo(2);
            assertThat(stack.steps.stream().filter(s -> s.startsWith("FenceDeadMaster")).count()).isEqualTo(1);
        }
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void aBadInputFailsInTheFirstStateNamingTheFieldAndTouchesNothing(Sandbox sandbox) throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            String arn = stack.start("{\"cluster\":\"app1\",\"mode\":\"failover\",\"deadMaster\":\"db1\",\"forse\":true}");
            DescribeExecutionResponse done = stack.await(arn, Duration.ofMinutes(1));

            assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(done.error()).isEqualTo("InputRejected");
            assertThat(done.cause()).contains("input field 'forse' is unknown");
            assertThat(stack.histories.get(arn)).filteredOn(e -> "StateEntered".equals(e.type()))
                    .extracting(Event::state).containsExactly("Mode", "CheckConfiguration", "InputRejected");
            assertThat(stack.aws.sns().published()).isEmpty();
            assertThat(stack.stateStore.lastFailover(LocalAwsStack.CLUSTER)).isEmpty();
            assertThat(stack.stateStore.lock(LocalAwsStack.CLUSTER, "someone-else", Duration.ofSeconds(1))).isTrue();
            assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).contains("Yes");
        }
    }

    private static DescribeExecutionResponse awaitEither(LocalAwsStack stack, String a, String b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (String arn : List.of(a, b)) {
                DescribeExecutionResponse d = stack.sfn.describeExecution(r -> r.executionArn(arn));
                if (d.status() != ExecutionStatus.RUNNING) {
                    return d;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("neither execution ended");
    }

    /** Each top-level state's wall time, from the execution history (StateEntered to StateExited). */
    private static String stateTimes(List<Event> events) {
        java.util.Map<String, Long> entered = new java.util.LinkedHashMap<>();
        java.util.Map<String, Long> took = new java.util.LinkedHashMap<>();
        for (Event e : events) {
            if (e.index() != null) {
                continue;
            }
            if ("StateEntered".equals(e.type())) {
                entered.put(e.state(), e.timestamp());
            } else if ("StateExited".equals(e.type()) && entered.containsKey(e.state())) {
                took.put(e.state(), e.timestamp() - entered.get(e.state()));
            }
        }
        return took.entrySet().stream().map(x -> x.getKey() + " " + x.getValue() + " ms").collect(Collectors.joining(", "));
    }
}
