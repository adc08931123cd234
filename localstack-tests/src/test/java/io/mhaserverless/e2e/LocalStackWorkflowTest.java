package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.functions.aws.DynamoDbStateStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The deployed shape on LocalStack (needs Docker; skipped cleanly without it): the real Lambda
 * package behind the real asl.json in LocalStack's Step Functions, DynamoDB and SNS. It covers
 * what needs no MySQL server reachable from LocalStack's Lambda containers: the first state's
 * refusals, with the error names Step Functions itself reports for a Java Lambda. The failover
 * itself is covered by the local suite (LocalEndToEndTest). Run: {@code ./mvnw verify -pl localstack-tests -Dgroups=localstack}.
 */
@Tag("localstack")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackWorkflowTest {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("dynamodb", "sns", "ssm", "lambda", "stepfunctions", "iam");

    @Test
    void theFirstStateRejectsABadInputAndAnUnknownClusterWithoutTakingOrKeepingTheLock() throws Exception {
        URI endpoint = LOCALSTACK.getEndpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
             SnsClient sns = SnsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
             LambdaClient lambda = LambdaClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
             SfnClient sfn = SfnClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            DynamoDbStateStore.createTable(ddb, "mha");
            String topic = sns.createTopic(r -> r.name("mha-reports")).topicArn();
            Path statemachine = Checkout.statemachine();
            byte[] jar = readAll(statemachine.getParent().resolve("functions/target/mha-functions-lambda.jar"));
            String function = lambda.createFunction(r -> r.functionName("mha-phase").runtime(Runtime.JAVA17)
                    .handler("io.mhaserverless.functions.PhaseFunction::handleRequest").role("arn:aws:iam::000000000000:role/mha")
                    .timeout(120).memorySize(1024)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(jar)))
                    .environment(e -> e.variables(Map.of("MHA_TABLE", "mha", "MHA_TOPIC_ARN", topic)))).functionArn();
            lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("mha-phase"));
            String definition = Files.readString(statemachine.resolve("asl.json"))
                    .replace("${PhaseFunctionArn}", function).replace("${ReportTopicArn}", topic);
            String machine = sfn.createStateMachine(r -> r.name("mha-failover").definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/mha-sfn")).stateMachineArn();

            DescribeExecutionResponse bad = run(sfn, machine, "{\"clusterr\":\"app1\"}");
            assertThat(bad.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(bad.error()).isEqualTo("InputRejected");
            assertThat(bad.cause()).contains("clusterr");

            DescribeExecutionResponse unknown = run(sfn, machine, "{\"cluster\":\"nosuch\"}");
            assertThat(unknown.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(unknown.error()).isEqualTo("FailoverRefused");
            assertThat(unknown.cause()).contains("/mha/clusters/nosuch");
            assertThat(new DynamoDbStateStore(ddb, "mha").lock("nosuch", "probe", Duration.ofSeconds(5))).isTrue();
        }
    }

    private static DescribeExecutionResponse run(SfnClient sfn, String machine, String input) throws InterruptedException {
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).input(input)).executionArn();
        for (int i = 0; i < 600; i++) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("execution still running: " + arn);
    }

    private static byte[] readAll(Path jar) throws java.io.IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the functions module first (./mvnw -pl functions -am package)");
        }
        return Files.readAllBytes(jar);
    }
}
