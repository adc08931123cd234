package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The one Lambda function behind every Task of the state machine: it dispatches on the payload's
 * {@code step}, so all phases share one deployment package, one SnapStart snapshot and one role.
 */
final class PhaseFunction extends Construct {

    static final String HANDLER = "io.mhaserverless.functions.PhaseFunction::handleRequest";
    /** {@code FailoverWorkflow.KEEP_WARM}: the CDK app does not depend on the function's code. */
    static final String KEEP_WARM_STEP = "KeepWarm";
    static final String ALIAS = "live";
    /** SSM Parameter Store path under which each cluster's YAML lives ({@code /mha/clusters/app1}). */
    static final String CONFIG_PREFIX = "/mha/clusters/";
    /** Tag that marks the instances of a managed cluster; SendCommand is limited to them. */
    static final String CLUSTER_TAG = "mha:cluster";

    static final String ENV_TABLE = "MHA_TABLE";
    static final String ENV_TOPIC_ARN = "MHA_TOPIC_ARN";
    static final String ENV_CONFIG_PREFIX = "MHA_CONFIG_PREFIX";
    static final String ENV_SSM_DOCUMENT = "MHA_SSM_DOCUMENT";
    static final String ENV_WRITER_INTERFACE = "MHA_WRITER_INTERFACE";
    /** C1 only: a phase runs for seconds, so C2's warm-up never pays off, and SnapStart restores faster. */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    /** Both functions: java17 on Amazon Linux 2 reaches its end of support in 2027. */
    static final Runtime RUNTIME = Runtime.JAVA_21;

    private final Function function;
    private final Alias live;
    private final Role role;

    PhaseFunction(Construct scope, String id, MhaServerlessProps props, ITable table, ITopic reportTopic,
                  NodeAgentDocument nodeAgent) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_YEAR).build();
        role = FunctionRole.create(this, "MHA Serverless phase function", logs, props.network());
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description("MHA Serverless: one failover / switchover phase per invocation")
                .runtime(RUNTIME)
                .handler(HANDLER)
                .code(Code.fromAsset(props.functionsJar().toString()))
                .memorySize(1024)
                // Step Functions bounds each phase with its own TimeoutSeconds; this is only the ceiling.
                .timeout(Duration.minutes(15))
                // Reserved: an account-wide throttle during an incident (every other function of the
                // account retrying at once) cannot take a failover's invocations; also its ceiling.
                .reservedConcurrentExecutions(props.phaseConcurrency())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .role(role)
                .logGroup(logs)
                .environment(Map.of(
                        ENV_TABLE, table.getTableName(),
                        ENV_TOPIC_ARN, reportTopic.getTopicArn(),
                        ENV_CONFIG_PREFIX, CONFIG_PREFIX,
                        ENV_SSM_DOCUMENT, nodeAgent.name(),
                        ENV_WRITER_INTERFACE, props.writerInterface(),
                        "JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS));
        props.network().ifPresent(network -> FunctionPlacement.placeIn(this, builder, network));
        function = builder.build();
        // Invoking the alias, never $LATEST, is what makes SnapStart apply.
        live = function.addAlias(ALIAS);
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the live alias publishes a version on every code or configuration change");

        reportTopic.grantPublish(role);
        grantFailoverActions(table, nodeAgent, props.network());
        SecurityReview.functionRole(role, true);
        SecurityReview.runtime(function);
        keepWarm();
    }

    /**
     * A failover function is idle almost always. Lambda deletes a SnapStart snapshot after 14 days
     * without an invocation and makes an idle VPC function Inactive; the first call then fails
     * (SnapStartNotReadyException, ResourceNotReadyException). A daily call of the live alias that
     * does nothing keeps both alive; asl.json also retries those errors with long intervals.
     */
    private void keepWarm() {
        Rule.Builder.create(this, "KeepWarm")
                .description("MHA Serverless: keeps the phase function's SnapStart snapshot and network interface alive")
                .schedule(Schedule.rate(Duration.days(1)))
                .targets(List.of(new LambdaFunction(live, LambdaFunctionProps.builder()
                        .event(RuleTargetInput.fromObject(Map.of("step", KEEP_WARM_STEP)))
                        .build())))
                .build();
    }

    Alias live() {
        return live;
    }

    private void grantFailoverActions(ITable table, NodeAgentDocument nodeAgent, Optional<PrivateNetwork> network) {
        ClusterGrants grants = new ClusterGrants(this, role);
        grants.table(table);
        grants.readConfigs();
        grants.runNodeAgent(nodeAgent);
        grants.readSecrets();
        // The servers' instances, ENIs and subnets (CheckConfiguration's subnet check, check-agents):
        // Describe calls take no resource ARN.
        grants.allow("DescribeServers", List.of("ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"),
                List.of("*"), Map.of());
        // The writer IP moves between ENIs of this VPC. No tag condition: it would test the ENI's own
        // tags, which instances do not pass on, so one untagged ENI would turn into AccessDenied in
        // MoveWriterIp, after the old master was fenced. ec2:Vpc is a condition key of the
        // network-interface resource; the ENIs of any other VPC of the account stay out of reach.
        grants.allow("MoveWriterIp", List.of("ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"),
                List.of(FunctionRole.ec2Arn(Stack.of(this), "network-interface", "*")),
                network.<Map<String, Object>>map(vpc -> Map.of("ArnEquals",
                        Map.of("ec2:Vpc", FunctionRole.ec2Arn(Stack.of(this), "vpc", vpc.vpcId())))).orElse(Map.of()));
    }
}
