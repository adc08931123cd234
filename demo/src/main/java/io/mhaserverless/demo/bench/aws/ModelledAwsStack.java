package io.mhaserverless.demo.bench.aws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.functions.FunctionContext;
import io.mhaserverless.functions.PhaseFunction;
import io.mhaserverless.functions.fake.CommandExecutor;
import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.functions.fake.FakeStepFunctions;
import io.mhaserverless.functions.fake.NodeAgentDocument;
import io.mhaserverless.local.statemachine.AslInterpreter;
import io.mhaserverless.local.statemachine.Event;
import io.mhaserverless.local.statemachine.Execution;
import io.mhaserverless.local.statemachine.HopDelays;
import io.mhaserverless.local.statemachine.StateMachineDefinition;
import io.mhaserverless.local.statemachine.StepFunctionsIntegrations;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the CDK stack deploys, on this machine, with AWS's answer times modelled: DynamoDB Local
 * behind {@link DelayingProxy}, FakeAws (EC2, SSM with the real node agent as its document, SNS,
 * Secrets Manager, Parameter Store, the Step Functions API) answering after the profile's delays,
 * the phase function in its own Micronaut context, and asl.json run by the local runtime's
 * interpreter with a state transition and a Lambda hop per the profile. One per bench run.
 */
final class ModelledAwsStack implements AutoCloseable {

    static final String CLUSTER = "bench";
    static final String WRITER_IP = "10.0.1.50";
    static final String SECRET = "mha/bench/mysql";
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:mha-phase:live";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider DUMMY_KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret"));

    final FakeAws aws;
    final ApplicationContext context;
    final String stateMachineArn;
    /** The execution's history as it happens, and its end. */
    final List<Event> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Execution> execution = new CompletableFuture<>();
    /** Each node-agent run on a host (the SSM document), when it started and ended (ms since the epoch). */
    final List<AgentRun> agentRuns = new CopyOnWriteArrayList<>();

    record AgentRun(String subcommand, long started, long ended) {
    }

    private final DynamoDBProxyServer dynamoDb;
    private final DelayingProxy dynamoDbProxy;
    private final PhaseFunction function;
    private final AwsLatencyProfile profile;
    private final Object environments = new Object();
    private int idle;

    ModelledAwsStack(Sandbox sandbox, String clusterYamlWithSecret, AwsLatencyProfile profile, Path workDir) throws Exception {
        this.profile = profile;
        aws = FakeAws.start();
        int port = freePort();
        dynamoDb = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port",
                Integer.toString(port)});
        DelayingProxy proxy = null;
        ApplicationContext ctx = null;
        try {
            dynamoDb.start();
            proxy = new DelayingProxy(URI.create("http://127.0.0.1:" + port), profile);
            String topicArn = aws.sns().createTopic("mha-reports");
            for (ServerNode n : sandbox.nodes()) {
                aws.ec2().addInstance("i-" + n.name(), "subnet-1", "10.0.1." + (10 + sandbox.nodes().indexOf(n)));
                aws.ssm().registerInstance("i-" + n.name());
            }
            aws.ec2().assignSecondary("i-" + sandbox.master().name(), WRITER_IP);
            aws.secretsManager().putSecret(SECRET, "{\"username\":\"" + SandboxCredentials.ADMIN_USER + "\",\"password\":\""
                    + SandboxCredentials.ADMIN_PASSWORD + "\"}");
            aws.ssm().putParameter("/mha/clusters/" + CLUSTER, clusterYamlWithSecret, "SecureString");
            CommandExecutor agent = hostAgent(new NodeAgentDocument(aws.secretsManager(), workDir.resolve("hosts"), Duration.ofMinutes(2)));
            aws.ssm().executor((instanceId, parameters) -> {
                long started = System.currentTimeMillis();
                try {
                    return agent.execute(instanceId, parameters);
                } finally {
                    agentRuns.add(new AgentRun(parameters.get("subcommand").get(0), started, System.currentTimeMillis()));
                }
            });

            Map<String, Object> properties = new java.util.HashMap<>(Map.of("mha.table", "mha", "mha.topic-arn", topicArn,
                    "mha.wait-timeout-seconds", "30", "mha.aws.region", "us-east-1", "mha.aws.endpoint", aws.endpoint().toString(),
                    "mha.aws.endpoints.dynamodb", proxy.endpoint().toString(),
                    "mha.aws.api-call-timeout-ms", "10000", "mha.aws.max-attempts", "1"));
            ctx = FunctionContext.start(FunctionContext.builder().properties(properties).singletons(DUMMY_KEYS));
            io.mhaserverless.functions.aws.DynamoDbStateStore.createTable(
                    ctx.getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class), "mha");
            function = new PhaseFunction(ctx);

            String definition = bundledDefinition().replace("${PhaseFunctionArn}", FUNCTION_ARN).replace("${ReportTopicArn}", topicArn);
            software.amazon.awssdk.services.sns.SnsClient sns = ctx.getBean(software.amazon.awssdk.services.sns.SnsClient.class);
            HopDelays hops = new HopDelays() {
                @Override
                public void beforeState(String state) throws InterruptedException {
                    Thread.sleep(profile.draw("stepfunctions.transition").toMillis());
                }

                @Override
                public void beforeTask(String state, String resource) throws InterruptedException {
                    if (StepFunctionsIntegrations.LAMBDA_INVOKE.equals(resource)) {
                        Thread.sleep(profile.draw("lambda.invoke").toMillis());
                    }
                }
            };
            aws.stepFunctions().interpreter((arn, text, input) -> {
                AslInterpreter machine = new AslInterpreter(StateMachineDefinition.parse(text, Map.of(), arn)).withHops(hops);
                StepFunctionsIntegrations tasks = new StepFunctionsIntegrations(Map.of(FUNCTION_ARN, this::invoke),
                        (topic, subject, message) -> sns.publish(r -> r.topicArn(topic).subject(subject).message(message)).messageId());
                Execution e = machine.run(arn, input, tasks, events::add);
                execution.complete(e);
                return new FakeStepFunctions.Result(e.status(), e.output(), e.error(), e.cause());
            });
            stateMachineArn = ctx.getBean(software.amazon.awssdk.services.sfn.SfnClient.class)
                    .createStateMachine(r -> r.name("mha-failover").definition(definition)
                            .roleArn("arn:aws:iam::000000000000:role/mha-sfn")).stateMachineArn();
        } catch (Exception | Error e) {
            if (ctx != null) {
                ctx.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            aws.close();
            dynamoDb.stop();
            throw e;
        }
        context = ctx;
        dynamoDbProxy = proxy;
    }

    /** From now on FakeAws and SSM delivery answer after the profile's delays (set up without them). */
    void modelLatency() {
        aws.latency(profile::forCall);
        aws.ssm().deliveryDelay(() -> profile.draw("ssm.delivery"));
    }

    /**
     * The phase function as Lambda runs it: a call that finds no idle execution environment gets a
     * new one, restored from the SnapStart snapshot (the first call of a failover, and each Map
     * iteration beside another); then the handler, bytes in and out.
     */
    private JsonNode invoke(JsonNode payload) {
        boolean restore;
        synchronized (environments) {
            restore = idle == 0;
            if (!restore) {
                idle--;
            }
        }
        try {
            if (restore) {
                Thread.sleep(profile.draw("lambda.snapStartRestore").toMillis());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(payload)), out, null);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            synchronized (environments) {
                idle++;
            }
        }
    }

    /** bind-ip / unbind-ip answered as the agent would without touching this machine's interfaces; the rest is the real agent. */
    private static CommandExecutor hostAgent(NodeAgentDocument document) {
        return (instanceId, parameters) -> {
            String subcommand = parameters.get("subcommand").get(0);
            if (subcommand.equals("bind-ip") || subcommand.equals("unbind-ip")) {
                return CommandExecutor.CommandResult.success("{\"changed\":true}");
            }
            return document.execute(instanceId, parameters);
        };
    }

    /** The cluster as an operator stores it in Parameter Store: instances, the writer IP, a secret instead of a password. */
    static String clusterYaml(Sandbox sandbox, long pingIntervalMs, int pingFailures, boolean withSecret) {
        String yaml = SandboxConfig.yaml(CLUSTER, sandbox,
                        List.of("pingFailures: " + pingFailures, "writerIp: {mode: eni, address: " + WRITER_IP + "}"),
                        name -> "instanceId: i-" + name)
                .replace("pingInterval: 1s", "pingInterval: " + pingIntervalMs + "ms");
        return withSecret ? yaml.replace("user: " + SandboxCredentials.ADMIN_USER + "\npassword: " + SandboxCredentials.ADMIN_PASSWORD
                + "\n", "credentialsSecret: " + SECRET + "\n") : yaml;
    }

    private static String bundledDefinition() {
        try (InputStream in = StateMachineDefinition.class.getResourceAsStream(StateMachineDefinition.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("asl.json is not bundled at " + StateMachineDefinition.RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        context.close();
        aws.close();
        dynamoDbProxy.close();
        try {
            dynamoDb.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
