package io.mhaserverless.core.metrics;

/** The names of every figure and dimension, in one place: the CDK dashboard and alarms use the same ones. */
public final class Metrics {
    public static final String CLUSTER = "Cluster";
    public static final String PHASE = "Phase";

    // the probe, per cluster
    public static final String PROBE_HEARTBEAT = "ProbeHeartbeat";
    public static final String PING_LATENCY = "PingLatency";
    public static final String PING_FAILURES = "PingFailures";
    public static final String DETECTIONS = "Detections";
    public static final String DETECTION_TIME = "DetectionTime";

    // a failover, per cluster
    public static final String FAILOVERS = "Failovers";
    public static final String FAILOVER_SUCCEEDED = "FailoverSucceeded";
    public static final String FAILOVER_FAILED = "FailoverFailed";
    public static final String FAILOVER_REFUSED = "FailoverRefused";
    public static final String FAILOVER_TIME = "FailoverTime";
    public static final String TIME_TO_WRITABLE = "TimeToWritable";
    public static final String REPLICAS_NOT_RECOVERED = "ReplicasNotRecovered";
    public static final String BYTES_POSSIBLY_LOST = "BytesPossiblyLost";
    public static final String PHASE_TIME = "PhaseTime";

    private Metrics() {
    }
}
