package io.mhaserverless.e2e;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.local.statemachine.AslInterpreter;
import io.mhaserverless.local.statemachine.Event;
import io.mhaserverless.local.statemachine.Execution;
import io.mhaserverless.local.statemachine.StateMachineDefinition;
import io.mhaserverless.local.statemachine.StepFunctionsIntegrations;
import io.mhaserverless.testbed.SandboxConfig;
import io.micronaut.context.ApplicationContext;
import io.mhaserverless.functions.FunctionContext;
import io.mhaserverless.functions.PhaseFunction;
import io.mhaserverless.functions.ProbeFunction;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.DynamoDbStateStore;
import io.mhaserverless.functions.fake.CommandExecutor;
import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.functions.fake.FakeStepFunctions;
import io.mhaserverless.functions.fake.NodeAgentDocument;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The deployed product, on this machine: what the CDK stack creates (table, topic, the cluster's
 * config parameter, its secret, one instance and ENI per server, the SSM document, the phase
 * function, the state machine from asl.json with its substitutions), over DynamoDB Local and
 * FakeAws, with the state machine executed by the local runtime (AslInterpreter). Tests drive it as an
 * operator would: {@link SfnClient#startExecution} against the local endpoint.
 */
final class LocalAwsStack implements AutoCloseable {

    static final String CLUSTER = "app1";
    static final String TABLE = "mha";
    static final String WRITER_IP = "10.0.1.50";
    static final String SECRET = "mha/app1/mysql";
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:mha-phase:live";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider DUMMY_KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret"));

    final FakeAws aws;
    final DynamoDbClient dynamoDb;
    final DynamoDbStateStore stateStore;
    final SfnClient sfn;
    final SnsClient sns;
    final String topicArn;
    final String stateMachineArn;
    final Sandbox sandbox;
    /** Every step the phase function ran, in order, with its wall time: the console's view of the execution. */
    final List<String> steps = new CopyOnWriteArrayList<>();
    final Map<String, List<Event>> histories = new ConcurrentHashMap<>();
    private final DynamoDBProxyServer dynamoDbServer;
    private final URI dynamoDbEndpoint;
    private final ApplicationContext functionContext;
    private final List<ApplicationContext> probeContexts = new CopyOnWriteArrayList<>();
    private final PhaseFunction function;
    private volatile UnaryOperator<JsonNode> lambda;

    LocalAwsStack(Sandbox sandbox, Path workDir) throws Exception {
        this.sandbox = sandbox;
        aws = FakeAws.start();
        int port = freePort();
        dynamoDbServer = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port",
                Integer.toString(port)});
        dynamoDbServer.start();
        try {
            // one SDK attempt per call: an injected fault reaches the phase, and the state machine's Retry decides
            AwsClients fake = clients(aws.endpoint());
            dynamoDbEndpoint = URI.create("http://127.0.0.1:" + port);
            dynamoDb = clients(dynamoDbEndpoint).dynamoDb();
            DynamoDbStateStore.createTable(dynamoDb, TABLE);
            stateStore = new DynamoDbStateStore(dynamoDb, TABLE);
            sns = fake.sns();
            topicArn = aws.sns().createTopic("mha-reports");

            for (ServerNode n : sandbox.nodes()) {
                aws.ec2().addInstance(instanceId(n), "subnet-1", "10.0.1." + (10 + sandbox.nodes().indexOf(n)));
                aws.ssm().registerInstance(instanceId(n));
            }
            aws.ec2().assignSecondary(instanceId(sandbox.master()), WRITER_IP);
            aws.secretsManager().putSecret(SECRET, "{\"username\":\"" + SandboxCredentials.ADMIN_USER + "\",\"password\":\""
                    + SandboxCredentials.ADMIN_PASSWORD + "\"}");
            aws.ssm().putParameter("/mha/clusters/" + CLUSTER, clusterYaml(sandbox), "SecureString");
            aws.ssm().executor(hostAgent(new NodeAgentDocument(aws.secretsManager(), workDir.resolve("hosts"), Duration.ofMinutes(2))));

            // The function's own context, as Lambda starts it, pointed at the fakes by properties.
            functionContext = FunctionContext.start(FunctionContext.builder().properties(functionProperties()).singletons(DUMMY_KEYS));
            function = new PhaseFunction(functionContext);
            lambda = this::invoke;

            Path statemachine = Checkout.statemachine();
            aws.stepFunctions().interpreter((arn, definition, input) -> {
                // the definition as CreateStateMachine received it, run by the local runtime that ships
                AslInterpreter machine = new AslInterpreter(StateMachineDefinition.parse(definition, Map.of(), arn));
                StepFunctionsIntegrations tasks = new StepFunctionsIntegrations(Map.of(FUNCTION_ARN, p -> lambda.apply(p)),
                        (topic, subject, message) -> sns.publish(r -> r.topicArn(topic).subject(subject).message(message)).messageId());
                List<Event> events = new CopyOnWriteArrayList<>();
                histories.put(arn, events);
                Execution e = machine.run(arn, input, tasks, events::add);
                return new FakeStepFunctions.Result(e.status(), e.output(), e.error(), e.cause());
            });
            sfn = SfnClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret")))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .build();
            // What CloudFormation does with DefinitionSubstitutions before CreateStateMachine.
            String definition = Files.readString(statemachine.resolve("asl.json"))
                    .replace("${PhaseFunctionArn}", FUNCTION_ARN).replace("${ReportTopicArn}", topicArn);
            stateMachineArn = sfn.createStateMachine(r -> r.name("mha-failover").definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/mha-sfn")).stateMachineArn();
        } catch (Exception | Error e) {
            // a half-built stack would keep its servers' threads, and so the JVM, alive
            aws.close();
            dynamoDbServer.stop();
            throw e;
        }
    }

    /** The functions' settings as the stack sets them, pointed at the fakes. */
    private Map<String, Object> functionProperties() {
        return Map.of("mha.table", TABLE, "mha.topic-arn", topicArn, "mha.wait-timeout-seconds", "30",
                "mha.aws.region", "us-east-1", "mha.aws.endpoint", aws.endpoint().toString(),
                "mha.aws.endpoints.dynamodb", dynamoDbEndpoint.toString(),
                "mha.aws.api-call-timeout-ms", "10000", "mha.aws.max-attempts", "1");
    }

    /** The probe function in a context of its own, as its Lambda starts it, watching for {@code watch} per invocation. */
    ProbeFunction probeFunction(Duration watch) {
        Map<String, Object> properties = new java.util.HashMap<>(functionProperties());
        properties.put("mha.state-machine-arn", stateMachineArn);
        properties.put("mha.probe-watch-millis", Long.toString(watch.toMillis()));
        properties.put("mha.probe-lease-seconds", "5");
        ApplicationContext context = FunctionContext.start(FunctionContext.builder().properties(properties).singletons(DUMMY_KEYS));
        probeContexts.add(context);
        return new ProbeFunction(context);
    }

    URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    static String instanceId(ServerNode n) {
        return "i-" + n.name();
    }

    /** The cluster's config as an operator stores it in Parameter Store: instances and a secret, no password. */
    private static String clusterYaml(Sandbox sandbox) {
        String yaml = SandboxConfig.yaml(CLUSTER, sandbox, List.of("writerIp: {mode: eni, address: " + WRITER_IP + "}"),
                name -> "instanceId: i-" + name);
        return yaml.replace("user: " + SandboxCredentials.ADMIN_USER + "\npassword: " + SandboxCredentials.ADMIN_PASSWORD + "\n",
                "credentialsSecret: " + SECRET + "\n");
    }

    /**
     * The SSM document on each host: the real node agent for the binlog tools; bind-ip and unbind-ip
     * answered as the agent would, without touching this machine's interfaces (the fake EC2 is the
     * network here).
     */
    private static CommandExecutor hostAgent(NodeAgentDocument document) {
        return (instanceId, parameters) -> {
            String subcommand = parameters.get("subcommand").get(0);
            if (subcommand.equals("bind-ip") || subcommand.equals("unbind-ip")) {
                return CommandExecutor.CommandResult.success("{\"changed\":true}");
            }
            return document.execute(instanceId, parameters);
        };
    }

    /** Replaces the phase function as Step Functions reaches it (fault injection); {@link #invoke} is the real one. */
    void lambda(UnaryOperator<JsonNode> replacement) {
        this.lambda = replacement;
    }

    /** The phase function as the Lambda runtime calls it: bytes in, bytes out, exceptions out as the errorType. */
    JsonNode invoke(JsonNode payload) {
        long t0 = System.nanoTime();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(payload)), out, null);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            steps.add(payload.path("step").asText() + (payload.has("replica") ? "(" + payload.path("replica").asText() + ")" : "")
                    + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    String start(String input) {
        return sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).input(input)).executionArn();
    }

    DescribeExecutionResponse await(String executionArn, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution " + executionArn + " still RUNNING after " + limit);
    }

    private static AwsClients clients(URI endpoint) {
        return AwsClients.builder().region(Region.US_EAST_1).endpoint(endpoint)
                .credentials(DUMMY_KEYS)
                .apiCallTimeout(Duration.ofSeconds(10)).attemptTimeout(Duration.ofSeconds(5)).maxAttempts(1).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        probeContexts.forEach(ApplicationContext::close);
        functionContext.close();
        sfn.close();
        aws.close();
        dynamoDbServer.stop();
    }
}
