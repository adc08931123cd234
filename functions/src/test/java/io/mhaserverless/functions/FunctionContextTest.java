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
