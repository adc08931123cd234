package io.mhaserverless.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The figures the functions write as EMF lines (namespace {@value #NAMESPACE}, dimension
 * {@code Cluster}; the names are core's {@code io.mhaserverless.core.metrics.Metrics}) on a dashboard,
 * and the alarms a DBA is paged by, all to the report topic: nobody watching a cluster (no probe
 * heartbeat for 3 minutes), a failover that ended FAILED or never reported (the execution itself
 * failed, timed out or was aborted), and replicas a failover did not recover.
 */
final class Monitoring extends Construct {

    static final String NAMESPACE = "MHA";
    static final int SILENT_MINUTES = 3;

    private final List<IAlarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    Monitoring(Construct scope, String id, List<String> clusters, IStateMachine failover, ITopic reportTopic) {
        super(scope, id);
        SnsAction toReportTopic = new SnsAction(reportTopic);

        // an execution that ends outside the workflow's own Catch sends no report: the state machine's figures tell
        MathExpression unreported = MathExpression.Builder.create()
                .expression("failed + timedOut + aborted")
                .usingMetrics(Map.of("failed", failover.metricFailed(), "timedOut", failover.metricTimedOut(),
                        "aborted", failover.metricAborted()))
                .label("executions failed, timed out or aborted")
                .period(Duration.minutes(1))
                .build();
        alarm("FailoverUnreported", "A failover or switchover execution failed, timed out or was aborted: its report may "
                + "not have been sent. Look at the execution in Step Functions, then mha status / mha history.", unreported,
                1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING, toReportTopic);

        dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# MHA Serverless\nProbe heartbeats, pings and detections per cluster; each failover's times and losses. "
                        + "Alarms go to the report topic.")
                .width(24).height(2).build());
        for (String cluster : clusters) {
            Metric heartbeat = metric(cluster, "ProbeHeartbeat", "SampleCount");
            alarm("ProbeSilent-" + cluster, "No probe heartbeat for cluster " + cluster + " for " + SILENT_MINUTES
                    + " minutes: nobody is watching its master. Check the probe function's errors and schedule.", heartbeat,
                    1, ComparisonOperator.LESS_THAN_THRESHOLD, SILENT_MINUTES, TreatMissingData.BREACHING, toReportTopic);
            alarm("FailoverFailed-" + cluster, "A failover of cluster " + cluster + " ended FAILED: read its report, fix, "
                    + "then acknowledge with mha ack --cluster " + cluster + ".", metric(cluster, "FailoverFailed", "Sum"),
                    1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING, toReportTopic);
            alarm("ReplicasNotRecovered-" + cluster, "A failover of cluster " + cluster + " left replicas not following the "
                    + "new master: the report names them.", metric(cluster, "ReplicasNotRecovered", "Maximum"),
                    1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, TreatMissingData.NOT_BREACHING, toReportTopic);

            dashboard.addWidgets(
                    graph(cluster + ": ping latency (ms)", metric(cluster, "PingLatency", "Average"), metric(cluster, "PingLatency", "p99")),
                    graph(cluster + ": probe", heartbeat, metric(cluster, "PingFailures", "Sum"), metric(cluster, "Detections", "Sum"),
                            metric(cluster, "DetectionTime", "Maximum")),
                    graph(cluster + ": failovers (ms)", metric(cluster, "TimeToWritable", "Maximum"),
                            metric(cluster, "FailoverTime", "Maximum")),
                    graph(cluster + ": failover outcome", metric(cluster, "FailoverSucceeded", "Sum"),
                            metric(cluster, "FailoverFailed", "Sum"), metric(cluster, "FailoverRefused", "Sum"),
                            metric(cluster, "ReplicasNotRecovered", "Maximum"), metric(cluster, "BytesPossiblyLost", "Maximum")));
        }
        dashboard.addWidgets(
                graph("failover executions", failover.metricStarted(), failover.metricSucceeded(), unreported),
                AlarmStatusWidget.Builder.create().title("alarms").alarms(alarms).width(18).build());
    }

    List<IAlarm> alarms() {
        return alarms;
    }

    Dashboard dashboard() {
        return dashboard;
    }

    private void alarm(String id, String description, IMetric metric, double threshold, ComparisonOperator op, int minutes,
                       TreatMissingData missing, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(op)
                .evaluationPeriods(minutes)
                .datapointsToAlarm(minutes)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        alarms.add(alarm);
    }

    private static Metric metric(String cluster, String name, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("Cluster", cluster))
                .statistic(statistic)
                .period(Duration.minutes(1))
                .build();
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(6).height(6).build();
    }
}
