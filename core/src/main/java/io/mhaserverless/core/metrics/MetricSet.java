package io.mhaserverless.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures that share one set of dimensions, e.g. {@code {Cluster: app1}} or {@code {Cluster: app1, Phase: FenceDeadMaster}};
 * {@code properties} travel with them (searchable in the log, not metrics themselves).
 */
public record MetricSet(Map<String, String> dimensions, List<Metric> metrics, Map<String, String> properties) {

    public MetricSet {
        dimensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
        metrics = List.copyOf(metrics);
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public static MetricSet cluster(String cluster, List<Metric> metrics) {
        return new MetricSet(Map.of(Metrics.CLUSTER, cluster), metrics, Map.of());
    }

    /** The unit CloudWatch knows the figure by. */
    public enum Unit {
        MILLISECONDS("Milliseconds"), BYTES("Bytes"), COUNT("Count");

        private final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }

        public String cloudWatch() {
            return cloudWatch;
        }
    }

    /** One figure, or several samples of it (EMF takes up to 100 values in one line). */
    public record Metric(String name, List<Double> values, Unit unit) {
        public Metric {
            values = List.copyOf(values);
        }

        public static Metric of(String name, double value, Unit unit) {
            return new Metric(name, List.of(value), unit);
        }
    }
}
