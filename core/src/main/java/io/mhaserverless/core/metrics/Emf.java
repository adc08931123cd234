package io.mhaserverless.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * CloudWatch's Embedded Metric Format: one JSON line per {@link MetricSet}, which CloudWatch Logs
 * turns into metrics of the namespace {@value #NAMESPACE} when a Lambda function writes it to stdout
 * (no PutMetricData call, no client, nothing to wait for). Powertools' metrics module does not resolve
 * in this build's Maven mirror, hence this one small class.
 */
public final class Emf implements MetricsSink {

    public static final String NAMESPACE = "MHA";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> out;
    private final Clock clock;

    public Emf(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** EMF on this process's stdout: what a Lambda function's log stream carries to CloudWatch. */
    public static Emf stdout() {
        return new Emf(line -> {
            System.out.println(line);
            System.out.flush();
        }, Clock.systemUTC());
    }

    @Override
    public void emit(MetricSet set) {
        if (set.metrics().isEmpty()) {
            return;
        }
        out.accept(line(set, clock.millis()));
    }

    /** The EMF document of {@code set} at {@code timestampMillis}, on one line. */
    public static String line(MetricSet set, long timestampMillis) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        set.dimensions().keySet().forEach(dimensionSet::add);
        ArrayNode metrics = directive.putArray("Metrics");
        set.dimensions().forEach(root::put);
        set.properties().forEach(root::put);
        for (MetricSet.Metric m : set.metrics()) {
            metrics.addObject().put("Name", m.name()).put("Unit", m.unit().cloudWatch());
            if (m.values().size() == 1) {
                root.put(m.name(), m.values().get(0));
            } else {
                ArrayNode values = root.putArray(m.name());
                m.values().forEach(values::add);
            }
        }
        return root.toString();
    }
}
