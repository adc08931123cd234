package io.mhaserverless.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Everything MHA Serverless runs on in one account and region (ARCHITECTURE.md §1): the state
 * table, the report topic, the node agent's SSM document, the phase function and the failover
 * state machine, and the probe that starts it (every minute, watching every cluster).
 */
public final class MhaServerlessStack extends Stack {

    public MhaServerlessStack(Construct scope, String id, StackProps stackProps, MhaServerlessProps props) {
        super(scope, id, stackProps);

        // Locks, last-failover records and history of every cluster: the failover guard depends on
        // them, so the table outlives the stack and can be restored to any second of the last 35 days.
        Table table = Table.Builder.create(this, "StateTable")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute("expiresAt")
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Topic reportTopic = Topic.Builder.create(this, "ReportTopic")
                .displayName("MHA Serverless reports")
                .enforceSsl(true)
                .build();
        props.reportEmail().ifPresent(email -> reportTopic.addSubscription(new EmailSubscription(email)));

        NodeAgentDocument nodeAgent = new NodeAgentDocument(this, "NodeAgent", props.nodeAgentDocument());
        PhaseFunction phase = new PhaseFunction(this, "PhaseFunction", props, table, reportTopic, nodeAgent);
        FailoverStateMachine failover = new FailoverStateMachine(this, "Failover", props.stateMachineDefinition(),
                phase.live(), reportTopic);
        UncaughtEndRule uncaughtEnd = new UncaughtEndRule(this, "UncaughtEnd", failover.stateMachine(), phase.live());
        props.writerIpReservation().reserveIn(this);
        props.network().filter(network -> !network.endpoints().isEmpty())
                .ifPresent(network -> new VpcEndpoints(this, "VpcEndpoints", network));
        ProbeFunction probe = new ProbeFunction(this, "ProbeFunction", props, table, reportTopic, nodeAgent,
                failover.stateMachine());

        Monitoring monitoring = new Monitoring(this, "Monitoring", props.clusters(), failover.stateMachine(), reportTopic);

        output("StateMachineArn", failover.stateMachine().getStateMachineArn(), "start failovers and switchovers here");
        output("StateTableName", table.getTableName(), "locks, last-failover records, history");
        output("ReportTopicArn", reportTopic.getTopicArn(), "subscribe chat or mail to the reports");
        output("PhaseFunctionAliasArn", phase.live().getFunctionArn(), "what the state machine invokes");
        output("NodeAgentDocumentName", nodeAgent.name(), "the SSM document the MySQL hosts run");
        output("ProbeFunctionAliasArn", probe.live().getFunctionArn(), "what the schedule invokes every minute");
        output("DashboardName", monitoring.dashboard().getDashboardName(), "probe and failover figures (context mhaClusters)");
        output("UncaughtEndDeadLettersUrl", uncaughtEnd.deadLetters().getQueueUrl(),
                "execution-end events EventBridge could not deliver to the phase function");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
