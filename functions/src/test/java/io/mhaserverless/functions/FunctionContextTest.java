package io.mhaserverless.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.port.ConfigSource;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.SecretStore;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import io.mhaserverless.functions.aws.DynamoDbStateStore;
import io.mhaserverless.functions.aws.Ec2EniWriterIp;
import io.mhaserverless.functions.aws.SecretsManagerSecretStore;
import io.mhaserverless.functions.aws.SnsNotifier;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import io.mhaserverless.functions.fake.FakeAws;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The function's context as Lambda builds it (its beans and defaults; micronaut-test builds the
 * context itself), its endpoints pointed at FakeAws and DynamoDB Local by properties: every port is the AWS adapter, every SDK client one singleton, and one step
 * reaches each service where the context says.
 */
@MicronautTest(environments = "function")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionContextTest implements TestPropertyProvider {

    static final String TABLE = "mha-wiring";
    static final String SECRET = "mha/app1/admin";
    static final ObjectMapper JSON = new ObjectMapper();

    FakeAws aws;
    DynamoDBProxyServer dynamoDbLocal;

    @Inject
    ApplicationContext context;

    /** Dummy keys for the fakes, in place of the SDK's default chain. */
    @Factory
    @Requires(property = "spec.name", value = "FunctionContextTest")
    static class DummyKeys {
        @Singleton
        AwsCredentialsProvider dummy() {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret"));
        }
    }

    @Override
    public Map<String, String> getProperties() {
        aws = FakeAws.start();
        int port = freePort();
        try {
            dynamoDbLocal = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port",
                    Integer.toString(port)});
            dynamoDbLocal.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
        Map<String, String> properties = new HashMap<>();
        FunctionContext.DEFAULTS.forEach((name, value) -> properties.put(name, value.toString()));
        properties.putAll(Map.of("spec.name", "FunctionContextTest",
                "mha.table", TABLE,
                "mha.topic-arn", aws.sns().createTopic("mha-reports"),
                "mha.aws.region", "us-east-1",
                "mha.aws.endpoint", aws.endpoint().toString(),
                "mha.aws.endpoints.dynamodb", "http://127.0.0.1:" + port,
                "mha.aws.max-attempts", "1"));
        return properties;
    }

    @AfterAll
    void stop() throws Exception {
        aws.close();
        dynamoDbLocal.stop();
    }

    @Test
    void thePortsAreTheAwsAdaptersAndTheClientsSingletons() {
        assertThat(context.getBean(StateStore.class)).isInstanceOf(DynamoDbStateStore.class);
        assertThat(context.getBean(Notifier.class)).isInstanceOf(SnsNotifier.class);
        assertThat(context.getBean(SecretStore.class)).isInstanceOf(SecretsManagerSecretStore.class);
        assertThat(context.getBean(ConfigSource.class)).isInstanceOf(SecretResolvingConfigSource.class);
        assertThat(context.getBean(WorkflowRuntime.class)).isInstanceOf(AwsWorkflowRuntime.class);
        assertThat(context.getBean(SsmClient.class)).isSameAs(context.getBean(SsmClient.class));
        assertThat(context.getBean(DynamoDbClient.class)).isSameAs(context.getBean(DynamoDbClient.class));
        assertThat(context.getBeansOfType(org.crac.Resource.class)).hasAtLeastOneElementOfType(SnapStartPriming.class);
    }

    @Test
    void aStepReachesEachServiceWhereTheContextPointsIt() throws IOException {
        DynamoDbStateStore.createTable(context.getBean(DynamoDbClient.class), TABLE);
        putCluster("app1");
        StateStore store = context.getBean(StateStore.class);
        assertThat(store.lock("app1", "arn:exec:1", Duration.ofMinutes(5))).isTrue();

        JsonNode answer = call(new PhaseFunction(context), "{\"step\":\"ReportRefusal\",\"execution\":\"arn:exec:1\","
                + "\"input\":{\"cluster\":\"app1\"},\"error\":{\"Error\":\"io.mhaserverless.core.workflow.FailoverRefused\","
                + "\"Cause\":\"master db1 is alive\"}}");

        assertThat(answer.toString()).contains("master db1 is alive");
        assertThat(aws.calls("GetParameter")).isNotEmpty();              // SSM: the config
        assertThat(aws.calls("GetSecretValue")).isNotEmpty();            // Secrets Manager: its account
        assertThat(aws.sns().published()).anySatisfy(m -> assertThat(m.toString()).contains("app1")); // SNS: the report
        assertThat(store.lock("app1", "arn:exec:2", Duration.ofMinutes(5))).as("DynamoDB: the lock was released").isTrue();
        store.unlock("app1", "arn:exec:2");
    }

    /** Step Functions' event as EventBridge delivers it to the uncaught-end rule's target (the documented shape). */
    static String statusChange(String execution, String status, String input, String error, String cause) throws IOException {
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("executionArn", execution);
        detail.put("stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:mha-failover");
        detail.put("name", execution.substring(execution.lastIndexOf(':') + 1));
        detail.put("status", status);
        detail.put("startDate", 1764547200000L);
        detail.put("stopDate", 1764549600000L);
        detail.put("input", input);
        detail.put("inputDetails", Map.of("included", true));
        detail.put("output", null);
        detail.put("outputDetails", null);
        detail.put("error", error);
        detail.put("cause", cause);
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", "315c1398-40ff-a850-213b-158f73e60175");
        event.put("detail-type", "Step Functions Execution Status Change");
        event.put("source", "aws.states");
        event.put("account", "123456789012");
        event.put("time", "2026-12-01T00:40:00Z");
        event.put("region", "us-east-1");
        event.put("resources", java.util.List.of(execution));
        event.put("detail", detail);
        return JSON.writeValueAsString(event);
    }

    @Test
    void anExecutionThatTimedOutMidFailoverIsRecordedUnlockedAndReported() throws IOException {
        DynamoDbStateStore.createTable(context.getBean(DynamoDbClient.class), TABLE);
        putCluster("app3");
        StateStore store = context.getBean(StateStore.class);
        String execution = "arn:aws:states:us-east-1:123456789012:execution:mha-failover:app3-db1-1";
        assertThat(store.lock("app3", execution, Duration.ofMinutes(45))).isTrue();
        String input = "{\"cluster\":\"app3\",\"deadMaster\":\"db1\"}";
        io.mhaserverless.core.failover.FailoverState state = io.mhaserverless.core.failover.FailoverState
                .start("app3", "db1", null, false, 1764547200000L)
                .withPhase(new io.mhaserverless.core.failover.FailoverState.PhaseRecord("CheckConfiguration", 1764547200000L, 800, ""))
                .withPhase(new io.mhaserverless.core.failover.FailoverState.PhaseRecord("FenceDeadMaster", 1764547201000L, 900, ""));
        io.mhaserverless.core.workflow.WorkflowDocument doc = new io.mhaserverless.core.workflow.WorkflowDocument(
                io.mhaserverless.core.workflow.FailoverRequest.parse(JSON.readTree(input)), state, null, null, null, null);
        store.saveProgress(new StateStore.Progress("app3", execution, "FenceDeadMaster", JSON.writeValueAsString(doc),
                java.time.Instant.now()));
        int published = aws.sns().published().size();

        JsonNode answer = call(new PhaseFunction(context), statusChange(execution, "TIMED_OUT", input, null, null));
        // EventBridge may deliver an event twice: the second changes nothing and reports nothing.
        call(new PhaseFunction(context), statusChange(execution, "TIMED_OUT", input, null, null));

        assertThat(answer.path("action").asText()).startsWith("recorded failover error after FenceDeadMaster");
        assertThat(store.history("app3", 5)).singleElement().satisfies(r -> {
            assertThat(r.executionId()).isEqualTo(execution);
            assertThat(r.outcome()).isEqualTo("failed");
        });
        assertThat(store.lastFailover("app3")).hasValueSatisfying(l ->
                assertThat(l.status()).isEqualTo(StateStore.LastFailover.Status.ERROR));
        assertThat(store.lock("app3", "arn:exec:next", Duration.ofMinutes(5))).as("the lock was released").isTrue();
        store.unlock("app3", "arn:exec:next");
        assertThat(aws.sns().published()).hasSize(published + 1);
        assertThat(aws.sns().published().get(published).toString()).contains("app3", "FindLatestReplicas", "timed out");
    }

    @Test
    void anExecutionThatEndedThroughItsReportStatesIsOnlyUnlocked() throws IOException {
        DynamoDbStateStore.createTable(context.getBean(DynamoDbClient.class), TABLE);
        putCluster("app4");
        StateStore store = context.getBean(StateStore.class);
        String execution = "arn:aws:states:us-east-1:123456789012:execution:mha-failover:app4-db1-1";
        String other = "arn:aws:states:us-east-1:123456789012:execution:mha-failover:app4-db1-2";
        assertThat(store.lock("app4", other, Duration.ofMinutes(45))).isTrue();
        int published = aws.sns().published().size();

        JsonNode answer = call(new PhaseFunction(context), statusChange(execution, "FAILED", "{\"cluster\":\"app4\"}",
                "FailoverAlreadyRunning", "failover already running for cluster app4"));

        assertThat(answer.path("action").asText()).startsWith("unlocked: the execution was reported already");
        assertThat(aws.sns().published()).hasSize(published);
        assertThat(store.history("app4", 5)).isEmpty();
        assertThat(store.lock("app4", "arn:exec:third", Duration.ofMinutes(5))).as("the other execution's lock stays").isFalse();
        store.unlock("app4", other);
    }

    @Test
    void anExecutionStoppedInItsFirstStateIsUnlockedAndReportedWithoutARecord() throws IOException {
        DynamoDbStateStore.createTable(context.getBean(DynamoDbClient.class), TABLE);
        putCluster("app5");
        StateStore store = context.getBean(StateStore.class);
        String execution = "arn:aws:states:us-east-1:123456789012:execution:mha-failover:app5-db1-1";
        assertThat(store.lock("app5", execution, Duration.ofMinutes(45))).isTrue();
        int published = aws.sns().published().size();

        call(new PhaseFunction(context), statusChange(execution, "ABORTED", "{\"cluster\":\"app5\"}", null, null));

        assertThat(store.history("app5", 5)).isEmpty();
        assertThat(store.lastFailover("app5")).isEmpty();
        assertThat(store.lock("app5", "arn:exec:next", Duration.ofMinutes(5))).isTrue();
        store.unlock("app5", "arn:exec:next");
        assertThat(aws.sns().published()).hasSize(published + 1);
        assertThat(aws.sns().published().get(published).toString()).contains("app5", "stopped (StopExecution)");
    }

    @Test
    void theHostPortsAreMadePerStepFromTheConfigThatStepRead() {
        putCluster("app2");
        ClusterConfig config = context.getBean(ConfigSource.class).load("app2");
        assertThat(config.credentials().password()).contains("s3cret");
        HostPorts hosts = context.getBean(HostPorts.class);
        SsmNodeAgent agent = hosts.nodeAgent(config);
        assertThat(hosts.writerIp(config, agent)).isInstanceOf(Ec2EniWriterIp.class);
        assertThat(context.getBean(WorkflowRuntime.class).context("app2").config()).isNotNull();
    }

    @Test
    void primingForTheSnapshotCallsNoService() throws IOException {
        int before = aws.calls().size();
        context.getBean(SnapStartPriming.class).prime();
        assertThat(aws.calls()).hasSize(before);
    }

    private void putCluster(String cluster) {
        aws.secretsManager().putSecret(SECRET, "{\"username\":\"admin\",\"password\":\"s3cret\"}");
        aws.ssm().putParameter("/mha/clusters/" + cluster, """
                cluster: %s
                credentialsSecret: %s
                replicationUser: repl
                replicationPassword: repl
                servers:
                  - name: db1
                    host: 192.0.2.11
                    instanceId: i-0000000000000db01
                  - name: db2
                    host: 192.0.2.12
                    instanceId: i-0000000000000db02
                writerIp: { mode: eni, address: 192.0.2.50 }
                """.formatted(cluster, SECRET), "SecureString");
    }

    private static JsonNode call(PhaseFunction function, String request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
