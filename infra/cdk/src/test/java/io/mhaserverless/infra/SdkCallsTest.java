package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The functions' roles against the AWS SDK calls in functions/src/main/java: every call is granted
 * (an ungranted one is AccessDenied in the middle of a failover, which no local test can see), and
 * every granted action is called, or is named here with the reason it is granted anyway.
 */
class SdkCallsTest {

    private static final Map<String, String> SERVICE_OF_CLIENT = Map.of(
            "DynamoDbClient", "dynamodb", "Ec2Client", "ec2", "SsmClient", "ssm", "SnsClient", "sns",
            "SfnClient", "states", "SecretsManagerClient", "secretsmanager");
    private static final Pattern CLIENT_VARIABLE = Pattern.compile(
            "\\b(" + String.join("|", SERVICE_OF_CLIENT.keySet()) + ")\\s+([a-z]\\w*)");
    /** A transaction is authorized as the writes inside it (this code's: Puts). */
    private static final Map<String, String> AUTHORIZED_AS = Map.of("dynamodb:TransactWriteItems", "dynamodb:PutItem");
    /** Granted without a call in this tree, and why. */
    private static final Map<String, String> GRANTED_AHEAD = Map.of(
            "ec2:DescribeInstances", "granted in the same Describe statement as the subnet check; no code calls it yet (a later STONITH adapter)");
    /**
     * Called in functions/ but never in Lambda: DynamoDbStateStore.createTable makes the table for
     * DynamoDB Local and the local runtime; on AWS the stack makes it.
     */
    private static final Map<String, String> NOT_IN_LAMBDA = Map.of(
            "dynamodb:CreateTable", "DynamoDbStateStore.createTable, for tests and the local runtime",
            "dynamodb:UpdateTimeToLive", "the same createTable",
            "ssm:PutParameter", "ParameterStoreConfigSource.write, for mha config add-server / remove-server on an operator's machine",
            "states:ListExecutions", "ExecutionRedrive, for mha redrive on an operator's machine",
            "states:DescribeExecution", "the same ExecutionRedrive",
            "states:RedriveExecution", "the same ExecutionRedrive");
    /** Granted for the platform, not for the code: logs, tracing, Lambda's own VPC interfaces. */
    private static final Set<String> PLATFORM = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords",
            "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface");

    private static Template template;

    @BeforeAll
    static void synth() {
        template = TestStacks.synth(TestStacks.inVpcProps());
    }

    @Test
    void everyCallTheFunctionsMakeIsGranted() throws IOException {
        Set<String> called = calledActions();
        assertThat(called).as("the scan finds the calls").contains("dynamodb:PutItem", "ec2:AssignPrivateIpAddresses",
                "ssm:SendCommand", "sns:Publish", "states:StartExecution", "secretsmanager:GetSecretValue");
        called.removeAll(NOT_IN_LAMBDA.keySet());
        assertThat(grantedToFunctions()).containsAll(called);
    }

    @Test
    void everyGrantedActionIsCalledOrAccountedFor() throws IOException {
        Set<String> unused = grantedToFunctions();
        unused.removeAll(calledActions());
        unused.removeAll(PLATFORM);
        unused.removeAll(GRANTED_AHEAD.keySet());
        assertThat(unused).isEmpty();
    }

    private static Set<String> grantedToFunctions() {
        Set<String> granted = new TreeSet<>();
        template.findResources("AWS::IAM::Policy").forEach((id, policy) -> {
            if (id.startsWith("PhaseFunction") || id.startsWith("ProbeFunction")) {
                Map<String, Object> properties = TestStacks.cast(policy.get("Properties"));
                Map<String, Object> document = TestStacks.cast(properties.get("PolicyDocument"));
                List<Map<String, Object>> statements = TestStacks.cast(document.get("Statement"));
                statements.forEach(s -> granted.addAll(MhaServerlessStackTest.asList(s.get("Action"))));
            }
        });
        assertThat(granted).isNotEmpty();
        return granted;
    }

    /** {@code ec2.describeNetworkInterfacesPaginator(} → ec2:DescribeNetworkInterfaces, per file by the variable's client type. */
    static Set<String> calledActions() throws IOException {
        Path sources = TestStacks.REPO.root().resolve("functions/src/main/java");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        Set<String> actions = new TreeSet<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Map<String, String> serviceOfVariable = new HashMap<>();
            Matcher declared = CLIENT_VARIABLE.matcher(text);
            while (declared.find()) {
                serviceOfVariable.put(declared.group(2), SERVICE_OF_CLIENT.get(declared.group(1)));
            }
            for (Map.Entry<String, String> variable : serviceOfVariable.entrySet()) {
                Matcher call = Pattern.compile("\\b" + variable.getKey() + "\\.([a-z]\\w*)\\(").matcher(text);
                while (call.find()) {
                    String method = call.group(1).replaceFirst("Paginator$", "");
                    if (List.of("close", "serviceName", "serviceClientConfiguration", "waiter", "utilities").contains(method)) {
                        continue;
                    }
                    String action = variable.getValue() + ":" + Character.toUpperCase(method.charAt(0)) + method.substring(1);
                    actions.add(AUTHORIZED_AS.getOrDefault(action, action));
                }
            }
        }
        return actions;
    }

}
