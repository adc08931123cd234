package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The dashboard and the alarms of the clusters named in context mhaClusters, every alarm to the report topic. */
class MonitoringTest {

    private static Template template;
    private static Template none;

    @BeforeAll
    static void synth() {
        template = TestStacks.synth(TestStacks.props().withClusters(List.of("app1", "app2")));
        none = TestStacks.synth(TestStacks.props());
    }

    @Test
    void threeAlarmsPerClusterAndOneForUnreportedExecutions() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 1 + 3 * 2);
        none.resourceCountIs("AWS::CloudWatch::Alarm", 1);
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
        assertThat(alarms.values()).allSatisfy(a -> assertThat(a.toString()).contains("AlarmActions").contains("ReportTopic"));
    }

    @Test
    void noHeartbeatForThreeMinutesMeansNobodyIsWatching() {
        for (String cluster : List.of("app1", "app2")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "MHA",
                    "MetricName", "ProbeHeartbeat",
                    "Dimensions", List.of(Map.of("Name", "Cluster", "Value", cluster)),
                    "Statistic", "SampleCount",
                    "Period", 60,
                    "EvaluationPeriods", 3,
                    "DatapointsToAlarm", 3,
                    "Threshold", 1,
                    "ComparisonOperator", "LessThanThreshold",
                    "TreatMissingData", "breaching")));
        }
    }

    @Test
    void aFailedFailoverAndReplicasNotRecoveredAlarmAtOnce() {
        for (String metric : List.of("FailoverFailed", "ReplicasNotRecovered")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "MHA",
                    "MetricName", metric,
                    "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "app1")),
                    "EvaluationPeriods", 1,
                    "Threshold", 1,
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                    "TreatMissingData", "notBreaching")));
        }
    }

    @Test
    void anExecutionThatFailedTimedOutOrWasAbortedAlarms() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm",
                Map.of("Properties", Match.objectLike(Map.of("Metrics", Match.anyValue()))));
        assertThat(alarms).hasSize(1);
        String alarm = alarms.values().iterator().next().toString();
        assertThat(alarm).contains("failed + timedOut + aborted", "AWS/States", "ExecutionsFailed", "ExecutionsTimedOut",
                "ExecutionsAborted", "GreaterThanOrEqualToThreshold", "ReportTopic");
    }

    @Test
    void aDashboardWithEachClustersFigures() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next().toString();
        for (String figure : List.of("PingLatency", "PingFailures", "ProbeHeartbeat", "Detections", "DetectionTime", "TimeToWritable",
                "FailoverTime", "ReplicasNotRecovered", "BytesPossiblyLost", "app1: probe", "app2: probe")) {
            assertThat(body).contains(figure);
        }
    }

    @Test
    void clusterNamesAreCheckedAtSynth() {
        App app = App.Builder.create().context(Map.of("withoutVpc", "true", "mhaClusters", "app1,bad name")).build();
        assertThatThrownBy(() -> MhaServerlessProps.fromContext(app.getNode(), java.nio.file.Path.of("x.jar"), "{}"))
                .hasMessageContaining("mhaClusters").hasMessageContaining("'bad name'");
        App twice = App.Builder.create().context(Map.of("withoutVpc", "true", "mhaClusters", List.of("app1", "app1"))).build();
        assertThatThrownBy(() -> MhaServerlessProps.fromContext(twice.getNode(), java.nio.file.Path.of("x.jar"), "{}"))
                .hasMessageContaining("twice");
    }
}
