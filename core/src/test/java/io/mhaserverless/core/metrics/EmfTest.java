package io.mhaserverless.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EMF lines as CloudWatch's specification has them, and the figures the probe and a failover send. */
class EmfTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every metric the directive names has a number (or numbers) at the root; every dimension a string. */
    static void assertValidEmf(JsonNode line) {
        JsonNode aws = line.get("_aws");
        assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo(Emf.NAMESPACE);
        for (JsonNode dimensionSet : directive.get("Dimensions")) {
            assertThat(dimensionSet.size()).isBetween(1, 30);
            dimensionSet.forEach(d -> assertThat(line.get(d.asText()).isTextual()).as(d.asText()).isTrue());
        }
        for (JsonNode m : directive.get("Metrics")) {
            JsonNode value = line.get(m.get("Name").asText());
            assertThat(value.isNumber() || value.isArray() && value.size() <= 100).as(m.toString()).isTrue();
            assertThat(m.get("Unit").asText()).isIn("Milliseconds", "Bytes", "Count");
        }
    }

    @Test
    void oneLineWithTheDirectiveTheDimensionsAndTheValues() throws Exception {
        List<String> out = new ArrayList<>();
        Emf emf = new Emf(out::add, Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
        emf.emit(new MetricSet(Map.of(Metrics.CLUSTER, "app1"), List.of(MetricSet.Metric.of(Metrics.PROBE_HEARTBEAT, 1, MetricSet.Unit.COUNT),
                new MetricSet.Metric(Metrics.PING_LATENCY, List.of(2.0, 3.0), MetricSet.Unit.MILLISECONDS)), Map.of("Outcome", "x")));

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).doesNotContain("\n");
        JsonNode line = JSON.readTree(out.get(0));
        assertValidEmf(line);
        assertThat(line.get("_aws").get("Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(line.get("Cluster").asText()).isEqualTo("app1");
        assertThat(line.get("ProbeHeartbeat").asDouble()).isEqualTo(1.0);
        assertThat(line.get("PingLatency")).hasSize(2);
        assertThat(line.get("Outcome").asText()).isEqualTo("x");
    }

    @Test
    void aFailoverSendsItsOutcomeTimesPhasesAndLosses() throws Exception {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 1_000)
                .withPhase(new FailoverState.PhaseRecord("CheckConfiguration", 1_000, 40, ""))
                .withPhase(new FailoverState.PhaseRecord("RecoverNewMaster", 1_500, 300, ""))
                .withOutcomes(List.of(new FailoverState.ReplicaOutcome("db3", false, "broken"),
                        new FailoverState.ReplicaOutcome("db4", true, "")));
        FailoverFigures figures = FailoverFigures.of(state, FailoverOutcome.PARTIAL, 3_000);

        assertThat(figures.failoverMillis()).isEqualTo(2_000);
        assertThat(figures.timeToWritableMillis()).hasValue(800);
        assertThat(figures.replicasNotRecovered()).isEqualTo(1);
        assertThat(figures.bytesPossiblyLost()).isEmpty(); // no salvage recorded: unknown, not 0
        List<String> out = new ArrayList<>();
        MetricsSink sink = set -> out.add(Emf.line(set, 3_000));
        sink.failover(figures);
        assertThat(out).hasSize(3); // the cluster's line and one per phase
        for (String l : out) {
            assertValidEmf(JSON.readTree(l));
        }
        JsonNode main = JSON.readTree(out.get(0));
        assertThat(main.get("Failovers").asInt()).isEqualTo(1);
        assertThat(main.get("FailoverFailed").asInt()).isZero();
        assertThat(main.get("ReplicasNotRecovered").asInt()).isEqualTo(1);
        assertThat(main.get("TimeToWritable").asInt()).isEqualTo(800);
        JsonNode phase = JSON.readTree(out.get(2));
        assertThat(phase.get("Phase").asText()).isEqualTo("RecoverNewMaster");
        assertThat(phase.get("PhaseTime").asInt()).isEqualTo(300);
        assertThat(figures.summary().get(0)).isEqualTo("outcome " + FailoverOutcome.PARTIAL.label()
                + ", failover 2000 ms, writable after 800 ms, replicas not recovered 1, bytes possibly lost unknown");
    }

    @Test
    void bytesPossiblyLostIsTheUnsavedBinlogBetweenTheBoundaryAndTheLastSighting() {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 0)
                .withLastSeenMasterBinlog("mysql-bin.000003:9000")
                .withSalvage(new FailoverState.Salvage(FailoverState.Salvage.Status.UNREACHABLE, "mysql-bin.000003:4000", null,
                        0, 0, 0, null, null, "host down"));
        assertThat(FailoverFigures.of(state, FailoverOutcome.POSSIBLE_LOSS, 10).bytesPossiblyLost()).hasValue(5000);
    }

    @Test
    void theProbeSendsAHeartbeatAMinuteItsPingsAndADetection() throws Exception {
        List<MetricSet> sent = new ArrayList<>();
        Instant t0 = Instant.ofEpochSecond(1_700_000_000L);
        ProbeFigures figures = new ProbeFigures("app1", sent::add, t0);
        figures.ping(t0, true, 3);                         // the first ping sends at once
        figures.ping(t0.plusSeconds(3), true, 4);
        figures.ping(t0.plusSeconds(6), false, 2000);
        figures.ping(t0.plusSeconds(9), false, 2000);
        assertThat(sent).hasSize(1);
        figures.detection(t0.plusSeconds(15));
        figures.ping(t0.plusSeconds(61), false, 2000);    // a minute on: the next send

        assertThat(sent).hasSize(3);
        assertThat(values(sent.get(0), Metrics.PING_LATENCY)).containsExactly(3.0);
        assertThat(values(sent.get(1), Metrics.DETECTIONS)).containsExactly(1.0);
        assertThat(values(sent.get(1), Metrics.DETECTION_TIME)).containsExactly(9_000.0);
        assertThat(values(sent.get(2), Metrics.PROBE_HEARTBEAT)).containsExactly(1.0);
        assertThat(values(sent.get(2), Metrics.PING_FAILURES)).containsExactly(3.0);
        assertThat(values(sent.get(2), Metrics.PING_LATENCY)).containsExactly(4.0);
    }

    private static List<Double> values(MetricSet set, String name) {
        return set.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().values();
    }
}
