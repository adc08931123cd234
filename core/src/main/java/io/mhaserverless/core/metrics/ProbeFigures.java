package io.mhaserverless.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's figures for one cluster, gathered ping by ping and sent once a minute (and when a
 * watch ends): one heartbeat per send — the alarm "nobody is watching" is its absence — the ping
 * latencies as samples, the failed pings as a count. A detection is sent at once.
 */
public final class ProbeFigures {

    /** EMF takes at most 100 values per metric in one line. */
    static final int MAX_SAMPLES = 100;
    public static final Duration EVERY = Duration.ofMinutes(1);

    private final String cluster;
    private final MetricsSink sink;
    private final List<Double> latencies = new ArrayList<>();
    private int failures;
    private Instant sendAt;
    private Instant firstFailureAt;

    public ProbeFigures(String cluster, MetricsSink sink, Instant now) {
        this.cluster = cluster;
        this.sink = sink;
        this.sendAt = now; // the first ping sends at once: a new watcher shows up without a minute's delay
    }

    /** One ping: its latency when the master answered, else one more failure. */
    public void ping(Instant at, boolean answered, long millis) {
        if (answered) {
            if (latencies.size() < MAX_SAMPLES) {
                latencies.add((double) millis);
            }
            firstFailureAt = null;
        } else {
            failures++;
            if (firstFailureAt == null) {
                firstFailureAt = at;
            }
        }
        if (!at.isBefore(sendAt)) {
            send(at);
        }
    }

    /** A death confirmed: counted, with how long it took from the first failed ping. */
    public void detection(Instant at) {
        List<MetricSet.Metric> m = new ArrayList<>();
        m.add(MetricSet.Metric.of(Metrics.DETECTIONS, 1, MetricSet.Unit.COUNT));
        if (firstFailureAt != null) {
            m.add(MetricSet.Metric.of(Metrics.DETECTION_TIME, Duration.between(firstFailureAt, at).toMillis(), MetricSet.Unit.MILLISECONDS));
        }
        emit(MetricSet.cluster(cluster, m));
        firstFailureAt = null;
    }

    /** What was gathered since the last send, with a heartbeat. */
    public void send(Instant now) {
        List<MetricSet.Metric> m = new ArrayList<>();
        m.add(MetricSet.Metric.of(Metrics.PROBE_HEARTBEAT, 1, MetricSet.Unit.COUNT));
        m.add(MetricSet.Metric.of(Metrics.PING_FAILURES, failures, MetricSet.Unit.COUNT));
        if (!latencies.isEmpty()) {
            m.add(new MetricSet.Metric(Metrics.PING_LATENCY, latencies, MetricSet.Unit.MILLISECONDS));
        }
        emit(MetricSet.cluster(cluster, m));
        latencies.clear();
        failures = 0;
        sendAt = now.plus(EVERY);
    }

    private void emit(MetricSet set) {
        try {
            sink.emit(set);
        } catch (RuntimeException e) {
            // figures are for watching; a watcher never stops over them
        }
    }
}
