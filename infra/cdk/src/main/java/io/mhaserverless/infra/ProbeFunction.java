package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The probe (ARCHITECTURE.md §1): started every minute by EventBridge Scheduler, it watches every
 * cluster under the config prefix for {@link #WATCH_MILLIS} and hands the clusters' leases to the
 * next invocation. Sized for what it costs (docs/cost.md, recomputed from this template by a test):
 * it runs all the time, so memory and lease writes are the bill.
 */
final class ProbeFunction extends Construct {

    static final String HANDLER = "io.mhaserverless.functions.ProbeFunction::handleRequest";
    static final String ALIAS = "live";
    static final String ENV_STATE_MACHINE_ARN = "MHA_STATE_MACHINE_ARN";
    static final String ENV_WATCH_MILLIS = "MHA_PROBE_WATCH_MILLIS";
    static final String ENV_LEASE_SECONDS = "MHA_PROBE_LEASE_SECONDS";
    /** A minute between starts, and half a second more of watching, so the successor finds the lease about to be let go. */
    static final long WATCH_MILLIS = 60_500;
    /** A crashed invocation's clusters are taken over within this; renewed every third of it (each renewal is a paid write). */
    static final int LEASE_SECONDS = 30;
    static final int MEMORY_MB = 128;
    /** Two: the running invocation and its successor, standing by for the lease in the overlap. */
    static final int RESERVED_CONCURRENCY = 2;
    /** Small heap, C1 only: pings are short; SnapStart restores the rest. */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=70";

    private final Function function;
    private final Alias live;
    private final Role role;

    ProbeFunction(Construct scope, String id, MhaServerlessProps props, ITable table, ITopic reportTopic, NodeAgentDocument nodeAgent,
                  IStateMachine failover) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_YEAR).build();
        role = FunctionRole.create(this, "MHA Serverless probe", logs, props.network());
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description("MHA Serverless: watches every cluster's master and starts its failover once it is dead")
                .runtime(PhaseFunction.RUNTIME)
                .architecture(Architecture.ARM_64)
                .handler(HANDLER)
                .code(Code.fromAsset(props.functionsJar().toString()))
                .memorySize(MEMORY_MB)
                .timeout(Duration.seconds(90))
                .reservedConcurrentExecutions(RESERVED_CONCURRENCY)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                // No X-Ray: the probe runs all the time (43,200 traces a month per account, a line that
                // docs/cost.md would have to carry) and a minute-long watch is one opaque segment anyway;
                // the failover's own path (state machine, phase function) is traced.
                .role(role)
                .logGroup(logs)
                // The phase function's settings too: one package, one context, validated at start the same way
                // (the probe publishes nothing: the topic is only named).
                .environment(Map.of(
                        PhaseFunction.ENV_TABLE, table.getTableName(),
                        PhaseFunction.ENV_TOPIC_ARN, reportTopic.getTopicArn(),
                        PhaseFunction.ENV_CONFIG_PREFIX, PhaseFunction.CONFIG_PREFIX,
                        PhaseFunction.ENV_SSM_DOCUMENT, nodeAgent.name(),
                        PhaseFunction.ENV_WRITER_INTERFACE, props.writerInterface(),
                        ENV_STATE_MACHINE_ARN, failover.getStateMachineArn(),
                        ENV_WATCH_MILLIS, Long.toString(WATCH_MILLIS),
                        ENV_LEASE_SECONDS, Integer.toString(LEASE_SECONDS),
                        "JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS));
        props.network().ifPresent(network -> FunctionPlacement.placeIn(this, builder, network));
        function = builder.build();
        live = function.addAlias(ALIAS);
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the live alias publishes a version on every code or configuration change");

        failover.grantStartExecution(role);
        grantProbeActions(table, nodeAgent);
        SecurityReview.functionRole(role, false);
        SecurityReview.runtime(function);
        schedule();
    }

    /**
     * Every minute, no retries and no flexible window: a missed start is covered by the next one a
     * minute later, and a retried one would only stand by behind its own successor.
     */
    private void schedule() {
        Schedule.Builder.create(this, "EveryMinute")
                .description("MHA Serverless: one probe invocation per minute")
                .schedule(ScheduleExpression.rate(Duration.minutes(1)))
                .target(new LambdaInvoke(live, ScheduleTargetBaseProps.builder()
                        .input(ScheduleTargetInput.fromObject(Map.of("source", "schedule")))
                        .retryAttempts(0)
                        .maxEventAge(Duration.minutes(1))
                        .build()))
                .build();
    }

    Alias live() {
        return live;
    }

    private void grantProbeActions(ITable table, NodeAgentDocument nodeAgent) {
        ClusterGrants grants = new ClusterGrants(this, role);
        grants.table(table);
        // The list of clusters (the path itself) and each cluster's config (the parameters under it).
        String prefix = PhaseFunction.CONFIG_PREFIX.substring(1);
        grants.allow("ClusterList", List.of("ssm:GetParametersByPath"), List.of(Stack.of(this).formatArn(ArnComponents.builder()
                .service("ssm").resource("parameter").resourceName(prefix.substring(0, prefix.length() - 1))
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())), Map.of());
        grants.readConfigs();
        // The secondary check: check-master through the node agent document, on the replicas' hosts.
        grants.runNodeAgent(nodeAgent);
        grants.readSecrets();
    }
}
