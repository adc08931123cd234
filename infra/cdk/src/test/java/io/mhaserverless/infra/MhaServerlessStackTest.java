package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class MhaServerlessStackTest {

    private static Template template;
    private static Template inVpc;

    @BeforeAll
    static void synth() {
        template = TestStacks.synth(TestStacks.props());
        inVpc = TestStacks.synth(TestStacks.inVpcProps());
    }

    @Test
    void oneTableKeyedByPkAndSkThatOutlivesTheStack() {
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "sk", "AttributeType", "S"))),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    }

    @Test
    void reportTopicWithEmailOnlyWhenAsked() {
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.resourceCountIs("AWS::SNS::Subscription", 0);
        inVpc.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "dba@example.com"));
    }

    @Test
    void onePhaseFunctionWithSnapStartBehindTheLiveAlias() {
        template.resourceCountIs("AWS::Lambda::Function", 2); // the phase function and the probe
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "io.mhaserverless.functions.PhaseFunction::handleRequest",
                "Runtime", "java21",
                "MemorySize", 1024,
                "Timeout", 900,
                "ReservedConcurrentExecutions", 20,
                "TracingConfig", Map.of("Mode", "Active"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Map.of(
                        "MHA_TABLE", Map.of("Ref", logicalId("AWS::DynamoDB::Table")),
                        "MHA_TOPIC_ARN", Map.of("Ref", logicalId("AWS::SNS::Topic")),
                        "MHA_CONFIG_PREFIX", "/mha/clusters/",
                        "MHA_SSM_DOCUMENT", Map.of("Ref", logicalId("AWS::SSM::Document")),
                        "MHA_WRITER_INTERFACE", "eth0",
                        "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))));
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", "live",
                "FunctionName", Map.of("Ref", logicalId("AWS::Lambda::Function", "PhaseFunction"))));
        template.resourceCountIs("AWS::Lambda::Version", 2);
    }

    @Test
    void theLiveAliasIsCalledDailySoAnIdleFunctionStaysReady() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 day)",
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("PhaseFunctionAliaslive.*")),
                        "Input", "{\"step\":\"KeepWarm\"}")))));
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "events.amazonaws.com"));
    }

    @Test
    void functionRunsInTheGivenSubnetsAndSecurityGroup() {
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("VpcConfig", Match.absent()));
        inVpc.allResourcesProperties("AWS::Lambda::Function", Map.of("VpcConfig", Map.of(
                "SubnetIds", List.of("subnet-0a1b2c3d4e5f60718", "subnet-0b1b2c3d4e5f60718"),
                "SecurityGroupIds", List.of("sg-0a1b2c3d4e5f60718"))));
        // An imported group is the operator's: CDK must not add rules to it.
        inVpc.resourceCountIs("AWS::EC2::SecurityGroupEgress", 0);
        inVpc.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    }

    @Test
    void phaseFunctionMayDoWhatAFailoverNeedsAndNoMore() {
        List<Map<String, Object>> statements = statements(template, "PhaseFunction");
        Set<String> actions = actions(statements);
        assertThat(actions).contains(
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstances", "ec2:DescribeSubnets",
                "ssm:SendCommand", "ssm:GetCommandInvocation", "ssm:CancelCommand", "ssm:DescribeInstanceInformation",
                "ssm:GetParameter", "secretsmanager:GetSecretValue", "sns:Publish", "dynamodb:PutItem", "dynamodb:DeleteItem");
        assertThat(actions).as("no STONITH adapter calls StopInstances; no code scans or batch-writes the table")
                .doesNotContain("ec2:StopInstances", "dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem");
        // Describe / Get calls that take no resource ARN are the only ones granted on every resource
        // (besides X-Ray's two, which take none either).
        assertThat(actionsOnEveryResource(statements)).containsExactlyInAnyOrder(
                "ssm:GetCommandInvocation", "ssm:DescribeInstanceInformation", "ssm:CancelCommand",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstances", "ec2:DescribeSubnets",
                "xray:PutTraceSegments", "xray:PutTelemetryRecords");
        assertThat(String.valueOf(statementWith(statements, "ssm:GetParameter").get("Resource")))
                .contains(":parameter/mha/clusters/*");
    }

    @Test
    void sendCommandIsTheNodeAgentDocumentOnInstancesTaggedForACluster() {
        for (String function : List.of("PhaseFunction", "ProbeFunction")) {
            List<Map<String, Object>> sendCommand = statements(template, function).stream()
                    .filter(s -> asList(s.get("Action")).contains("ssm:SendCommand")).toList();
            assertThat(sendCommand).as(function).hasSize(2);
            Map<String, Object> onDocument = sendCommand.stream().filter(s -> s.get("Condition") == null).findFirst().orElseThrow();
            assertThat(String.valueOf(onDocument.get("Resource"))).contains(":document/").doesNotContain("instance");
            Map<String, Object> onInstances = sendCommand.stream().filter(s -> s.get("Condition") != null).findFirst().orElseThrow();
            assertThat(String.valueOf(onInstances.get("Resource"))).contains(":instance/*").doesNotContain("document");
            assertThat(onInstances.get("Condition")).isEqualTo(Map.of("StringLike", Map.of("ssm:resourceTag/mha:cluster", "*")));
        }
    }

    @Test
    void noFunctionRoleCarriesAnAwsManagedPolicy() {
        for (Template t : List.of(template, inVpc)) {
            t.findResources("AWS::IAM::Role").forEach((id, role) -> {
                Map<String, Object> properties = cast(role.get("Properties"));
                assertThat(properties.get("ManagedPolicyArns")).as(id).isNull();
            });
        }
        // No statement grants an ENI-changing action on every resource.
        List<Map<String, Object>> statements = new ArrayList<>();
        inVpc.findResources("AWS::IAM::Policy").keySet().forEach(id -> statements.addAll(statements(inVpc, id)));
        assertThat(actionsOnEveryResource(statements)).noneMatch(action -> action.matches(
                "ec2:(Create|Delete|Assign|Unassign|Attach|Detach).*"));
    }

    @Test
    void lambdaMayManageTheFunctionsInterfacesButTheCodeMayNot() {
        for (String function : List.of("PhaseFunction", "ProbeFunction")) {
            List<Map<String, Object>> statements = statements(inVpc, function);
            Map<String, Object> create = statementWith(statements, "ec2:CreateNetworkInterface");
            assertThat(create.get("Condition")).isEqualTo(Map.of("Null", Map.of("lambda:SourceFunctionArn", "true")));
            assertThat(String.valueOf(create.get("Resource")))
                    .contains(":subnet/subnet-0a1b2c3d4e5f60718", ":subnet/subnet-0b1b2c3d4e5f60718",
                            ":security-group/sg-0a1b2c3d4e5f60718", ":network-interface/*");
            Map<String, Object> delete = statementWith(statements, "ec2:DeleteNetworkInterface");
            assertThat(delete.get("Condition")).isEqualTo(Map.of("Null", Map.of("lambda:SourceFunctionArn", "true")));
            assertThat(asList(delete.get("Action"))).containsExactlyInAnyOrder(
                    "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");
        }
        // Outside a VPC Lambda creates no interface, so nobody may.
        assertThat(actions(statements(template, "PhaseFunction"))).doesNotContain("ec2:CreateNetworkInterface");
    }

    @Test
    void theWriterIpMovesOnlyBetweenInterfacesOfTheServersVpc() {
        Map<String, Object> move = statements(inVpc, "PhaseFunction").stream()
                .filter(s -> asList(s.get("Action")).contains("ec2:AssignPrivateIpAddresses") && s.get("Condition") != null
                        && String.valueOf(s.get("Condition")).contains("ec2:Vpc"))
                .findFirst().orElseThrow();
        assertThat(String.valueOf(move.get("Resource"))).contains(":network-interface/*");
        assertThat(String.valueOf(move.get("Condition"))).contains("ArnEquals", ":vpc/vpc-0a1b2c3d4e5f60718");
        assertThat(statements(inVpc, "ProbeFunction").stream()
                .filter(s -> asList(s.get("Action")).contains("ec2:AssignPrivateIpAddresses")))
                .as("the probe's code moves no IP: only Lambda, for the function's own interfaces")
                .singleElement()
                .satisfies(s -> assertThat(s.get("Condition")).isEqualTo(Map.of("Null", Map.of("lambda:SourceFunctionArn", "true"))));
    }

    @Test
    void noPolicyGrantsAWildcardAction() {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").keySet().forEach(id -> statements.addAll(statements(template, id)));
        assertThat(statements).isNotEmpty();
        assertThat(actions(statements)).noneMatch(action -> action.contains("*"));
    }

    @Test
    void stateMachineInvokesOnlyTheAliasAndPublishesOnlyToTheTopic() {
        List<Map<String, Object>> statements = statements(template, "FailoverStateMachineRole");
        assertThat(statementWith(statements, "lambda:InvokeFunction").get("Resource"))
                .isEqualTo(Map.of("Ref", logicalId("AWS::Lambda::Alias", "PhaseFunction")));
        assertThat(statementWith(statements, "sns:Publish").get("Resource"))
                .isEqualTo(Map.of("Ref", logicalId("AWS::SNS::Topic")));
    }

    @Test
    void stateMachineLogsEveryEventButNoExecutionData() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineType", "STANDARD",
                "LoggingConfiguration", Map.of(
                        "Level", "ALL",
                        "IncludeExecutionData", false,
                        "Destinations", List.of(Map.of("CloudWatchLogsLogGroup", Map.of("LogGroupArn", Match.anyValue()))))));
    }

    @Test
    void nodeAgentDocumentTakesEveryParameterFromTheEnvironment() {
        template.hasResourceProperties("AWS::SSM::Document", Map.of(
                "Name", "MhaNodeAgent",
                "DocumentType", "Command",
                "UpdateMethod", "NewVersion"));
        Map<String, Object> content = documentContent();
        assertThat(content.get("schemaVersion")).isEqualTo("2.2");

        Map<String, Map<String, Object>> parameters = cast(content.get("parameters"));
        assertThat(parameters).containsOnlyKeys("subcommand", "arguments", "credentialsSecret");
        parameters.forEach((name, parameter) -> {
            assertThat(parameter.get("type")).as(name).isEqualTo("String");
            assertThat(parameter.get("interpolationType")).as(name).isEqualTo("ENV_VAR");
        });
        assertThat(parameters.get("subcommand").get("allowedValues")).isEqualTo(List.of(
                "save-binlog", "find-relay-position", "apply-diff", "purge-relay-logs", "check-master", "bind-ip", "unbind-ip",
                "self-check"));
        assertThat(parameters.get("arguments").get("default")).isEqualTo("[]");
        assertThat(parameters.get("credentialsSecret").get("default")).isEqualTo("");

        List<Map<String, Object>> steps = cast(content.get("mainSteps"));
        assertThat(steps).singleElement().satisfies(step -> assertThat(step.get("action")).isEqualTo("aws:runShellScript"));
        Map<String, Object> inputs = cast(steps.get(0).get("inputs"));
        List<String> script = cast(inputs.get("runCommand"));
        assertThat(script).isNotEmpty().allSatisfy(line -> {
            // {{ name }} is SSM's text substitution: a value spliced into the script could run as code.
            assertThat(line).doesNotContain("{{").doesNotContain("}}");
            assertThat(line).doesNotContain("eval ");
        });
        assertThat(String.join("\n", script)).contains("$SSM_subcommand", "SSM_arguments", "$SSM_credentialsSecret");
    }

    @Test
    void outputsNameWhatOperatorsAndTheCliNeed() {
        assertThat(template.findOutputs("*").keySet()).containsExactlyInAnyOrder(
                "StateMachineArn", "StateTableName", "ReportTopicArn", "PhaseFunctionAliasArn", "NodeAgentDocumentName",
                "ProbeFunctionAliasArn", "UncaughtEndDeadLettersUrl", "DashboardName");
    }

    private static Map<String, Object> documentContent() {
        Map<String, Object> document = template.findResources("AWS::SSM::Document").values().iterator().next();
        return cast(TestStacks.<Map<String, Object>>cast(document.get("Properties")).get("Content"));
    }

    private static String logicalId(String type, String prefix) {
        Set<String> ids = new java.util.TreeSet<>(template.findResources(type).keySet());
        ids.removeIf(id -> !id.startsWith(prefix));
        assertThat(ids).as(type + " " + prefix + "*").hasSize(1);
        return ids.iterator().next();
    }

    @Test
    void theProbeRunsEveryMinuteOnArmWithSnapStartAndTwoInvocationsAtMost() {
        String probe = logicalId("AWS::Lambda::Function", "ProbeFunction");
        template.hasResource("AWS::Lambda::Function", Map.of("Properties", Match.objectLike(Map.of(
                "Handler", "io.mhaserverless.functions.ProbeFunction::handleRequest",
                "Architectures", List.of("arm64"),
                "MemorySize", 128,
                "Timeout", 90,
                "ReservedConcurrentExecutions", 2,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "MHA_TABLE", Map.of("Ref", logicalId("AWS::DynamoDB::Table")),
                        "MHA_CONFIG_PREFIX", "/mha/clusters/",
                        "MHA_STATE_MACHINE_ARN", Map.of("Ref", logicalId("AWS::StepFunctions::StateMachine")),
                        "MHA_PROBE_WATCH_MILLIS", "60500",
                        "MHA_PROBE_LEASE_SECONDS", "30")))))));
        assertThat(probe).isNotBlank();
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "State", "ENABLED",
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", logicalId("AWS::Lambda::Alias", "ProbeFunction")),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60)))));
    }

    @Test
    void theProbeMayWatchAndStartAFailoverAndNoMore() {
        List<Map<String, Object>> statements = statements(template, "ProbeFunction");
        Set<String> actions = actions(statements);
        assertThat(actions).contains("states:StartExecution", "ssm:GetParametersByPath", "ssm:GetParameter", "ssm:SendCommand",
                "secretsmanager:GetSecretValue", "dynamodb:PutItem", "dynamodb:GetItem");
        assertThat(actions).as("fencing and moving the writer IP are the failover's, not the probe's")
                .doesNotContain("ec2:AssignPrivateIpAddresses", "ec2:StopInstances", "sns:Publish", "states:StopExecution");
        assertThat(actionsOnEveryResource(statements)).containsExactlyInAnyOrder(
                "ssm:GetCommandInvocation", "ssm:DescribeInstanceInformation", "ssm:CancelCommand");
        assertThat(statementWith(statements, "states:StartExecution").get("Resource"))
                .isEqualTo(Map.of("Ref", logicalId("AWS::StepFunctions::StateMachine")));
        assertThat(String.valueOf(statementWith(statements, "ssm:GetParametersByPath").get("Resource")))
                .contains(":parameter/mha/clusters]").doesNotContain("*");
    }

    private static String logicalId(String type) {
        Set<String> ids = template.findResources(type).keySet();
        assertThat(ids).as(type).hasSize(1);
        return ids.iterator().next();
    }

    /** The statements of the IAM policies whose logical id starts with the prefix. */
    private static List<Map<String, Object>> statements(Template template, String logicalIdPrefix) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").forEach((id, policy) -> {
            if (id.startsWith(logicalIdPrefix)) {
                Map<String, Object> properties = cast(policy.get("Properties"));
                Map<String, Object> document = cast(properties.get("PolicyDocument"));
                statements.addAll(cast(document.get("Statement")));
            }
        });
        assertThat(statements).as("statements of %s*", logicalIdPrefix).isNotEmpty();
        return statements;
    }

    private static Set<String> actions(List<Map<String, Object>> statements) {
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> actions.addAll(asList(s.get("Action"))));
        return actions;
    }

    private static Set<String> actionsOnEveryResource(List<Map<String, Object>> statements) {
        Set<String> actions = new TreeSet<>();
        statements.stream().filter(s -> asList(s.get("Resource")).contains("*")).forEach(s -> actions.addAll(asList(s.get("Action"))));
        return actions;
    }

    private static Map<String, Object> statementWith(List<Map<String, Object>> statements, String action) {
        List<Map<String, Object>> found = statements.stream().filter(s -> asList(s.get("Action")).contains(action)).toList();
        assertThat(found).as("statements granting %s", action).hasSize(1);
        return found.get(0);
    }

    static List<String> asList(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> items.add(String.valueOf(item)));
        } else if (value instanceof String s) {
            items.add(s);
        }
        return items;
    }

    private static <T> T cast(Object value) {
        return TestStacks.cast(value);
    }
}
