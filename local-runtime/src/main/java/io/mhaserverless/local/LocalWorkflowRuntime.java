package io.mhaserverless.local;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The embedded default's ports (ARCHITECTURE.md §3): the config file, the local writer endpoint,
 * the node agent as a local process, a state directory, the console. The same phases and the same
 * workflow steps as on AWS run over them.
 */
public final class LocalWorkflowRuntime implements WorkflowRuntime {

    private final String cluster;
    private final Supplier<ClusterConfig> config;
    private final WriterIp writerIp;
    private final NodeAgent nodeAgent;
    private final StateStore stateStore;
    private final Notifier notifier;
    private final Progress progress;
    private final Clock clock;
    private final Duration waitTimeout;
    private final io.mhaserverless.core.metrics.MetricsSink metrics;

    /** @param config read anew by every call, as Parameter Store is on AWS */
    public LocalWorkflowRuntime(String cluster, Supplier<ClusterConfig> config, WriterIp writerIp, NodeAgent nodeAgent,
                                StateStore stateStore, Notifier notifier, Progress progress, Clock clock, Duration waitTimeout) {
        this(cluster, config, writerIp, nodeAgent, stateStore, notifier, progress, clock, waitTimeout,
                io.mhaserverless.core.metrics.MetricsSink.NONE);
    }

    private LocalWorkflowRuntime(String cluster, Supplier<ClusterConfig> config, WriterIp writerIp, NodeAgent nodeAgent,
                                 StateStore stateStore, Notifier notifier, Progress progress, Clock clock, Duration waitTimeout,
                                 io.mhaserverless.core.metrics.MetricsSink metrics) {
        this.metrics = metrics;
        this.cluster = cluster;
        this.config = config;
        this.writerIp = writerIp;
        this.nodeAgent = nodeAgent;
        this.stateStore = stateStore;
        this.notifier = notifier;
        this.progress = progress;
        this.clock = clock;
        this.waitTimeout = waitTimeout;
    }

    @Override
    public FailoverContext context(String requested) {
        if (!cluster.equals(requested)) {
            throw new IllegalArgumentException("this runtime serves cluster '" + cluster + "', not '" + requested + "'");
        }
        return FailoverContext.builder(config)
                .writerIp(writerIp)
                .nodeAgent(nodeAgent)
                .progress(progress)
                .clock(clock)
                .waitTimeout(waitTimeout)
                .build();
    }

    /** The same runtime with its failover figures going to {@code sink} (the console of mha manager and the demo). */
    public LocalWorkflowRuntime withMetrics(io.mhaserverless.core.metrics.MetricsSink sink) {
        return new LocalWorkflowRuntime(cluster, config, writerIp, nodeAgent, stateStore, notifier, progress, clock, waitTimeout, sink);
    }

    @Override
    public io.mhaserverless.core.metrics.MetricsSink metrics() {
        return metrics;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public StateStore stateStore() {
        return stateStore;
    }

    @Override
    public Notifier notifier() {
        return notifier;
    }
}
