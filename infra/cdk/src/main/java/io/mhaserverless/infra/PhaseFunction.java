package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
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
    /** Tag that marks the instances of a managed cluster; StopInstances is limited to them. */
    static final String CLUSTER_TAG = "mha:cluster";

    static final String ENV_TABLE = "MHA_TABLE";
    static final String ENV_TOPIC_ARN = "MHA_TOPIC_ARN";
    static final String ENV_CONFIG_PREFIX = "MHA_CONFIG_PREFIX";
    static final String ENV_SSM_DOCUMENT = "MHA_SSM_DOCUMENT";
    static final String ENV_WRITER_INTERFACE = "MHA_WRITER_INTERFACE";
    /** C1 only: a phase runs for seconds, so C2's warm-up never pays off, and SnapStart restores faster. */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final Function function;
    private final Alias live;

    PhaseFunction(Construct scope, String id, MhaServerlessProps props, ITable table, ITopic reportTopic,
                  NodeAgentDocument nodeAgent) {
        super(scope, id);
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description("MHA Serverless: one failover / switchover phase per invocation")
                .runtime(Runtime.JAVA_17)
                .handler(HANDLER)
                .code(Code.fromAsset(props.functionsJar().toString()))
                .memorySize(1024)
                // Step Functions bounds each phase with its own TimeoutSeconds; this is only the ceiling.
                .timeout(Duration.minutes(15))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_YEAR).build())
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

        table.grantReadWriteData(function);
        reportTopic.grantPublish(function);
        grantFailoverActions(nodeAgent);
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

    private void grantFailoverActions(NodeAgentDocument nodeAgent) {
        Stack stack = Stack.of(this);
        // Cluster configs only; GetParameter with decryption needs no kms grant for the default aws/ssm key.
        allow(List.of("ssm:GetParameter"), List.of(stack.formatArn(ArnComponents.builder()
                .service("ssm").resource("parameter").resourceName(CONFIG_PREFIX.substring(1) + "*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())));
        // The node agent document only, on any managed instance: which instance is up to the cluster config.
        allow(List.of("ssm:SendCommand"), List.of(nodeAgent.arn(), "arn:" + Aws.PARTITION + ":ec2:*:*:instance/*"));
        // These take no resource ARN.
        allow(List.of("ssm:GetCommandInvocation", "ssm:DescribeInstanceInformation", "ssm:CancelCommand",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstances"), List.of("*"));
        // Credentials secrets: named mha/..., or tagged mha:cluster by whoever may tag secrets.
        String secrets = stack.formatArn(ArnComponents.builder()
                .service("secretsmanager").resource("secret").resourceName("mha/*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        allow(List.of("secretsmanager:GetSecretValue"), List.of(secrets));
        allowIfTagged(List.of("secretsmanager:GetSecretValue"), List.of(stack.formatArn(ArnComponents.builder()
                .service("secretsmanager").resource("secret").resourceName("*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build())));
        // The writer IP moves between ENIs of this account and region. No tag condition here: the
        // condition would test the ENI's own tags, which instances do not pass on, so one untagged
        // ENI would turn into AccessDenied in MoveWriterIp, after the old master was fenced.
        allow(List.of("ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), List.of(stack.formatArn(
                ArnComponents.builder().service("ec2").resource("network-interface").resourceName("*")
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())));
        // Stopping an instance (STONITH) is the one irreversible action: only instances tagged mha:cluster.
        allowIfTagged(List.of("ec2:StopInstances"), List.of(stack.formatArn(ArnComponents.builder()
                .service("ec2").resource("instance").resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())));
    }

    private void allow(List<String> actions, List<String> resources) {
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(actions).resources(resources).build());
    }

    private void allowIfTagged(List<String> actions, List<String> resources) {
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(actions).resources(resources)
                .conditions(Map.of("Null", Map.of("aws:ResourceTag/" + CLUSTER_TAG, "false")))
                .build());
    }
}
