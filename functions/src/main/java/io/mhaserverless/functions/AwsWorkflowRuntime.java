package io.mhaserverless.functions;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.port.ConfigSource;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.workflow.Deadline;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * The ports on AWS (ARCHITECTURE.md §3), as the function's context wires them: the state store,
 * the notifier and the config source are singletons; the host ports are made per step from the
 * config that step read. The cluster config, and the MySQL passwords in it, are read once per
 * step and never kept.
 */
@Singleton
public final class AwsWorkflowRuntime implements WorkflowRuntime {

    private final FunctionSettings settings;
    private final ConfigSource configs;
    private final StateStore stateStore;
    private final Notifier notifier;
    private final HostPorts hosts;

    private final Deadline deadline;

    @Inject
    public AwsWorkflowRuntime(FunctionSettings settings, ConfigSource configs, StateStore stateStore, Notifier notifier,
                              HostPorts hosts) {
        this(settings, configs, stateStore, notifier, hosts, Deadline.NONE);
    }

    private AwsWorkflowRuntime(FunctionSettings settings, ConfigSource configs, StateStore stateStore, Notifier notifier,
                               HostPorts hosts, Deadline deadline) {
        this.settings = settings;
        this.configs = configs;
        this.stateStore = stateStore;
        this.notifier = notifier;
        this.hosts = hosts;
        this.deadline = deadline;
    }

    /** One step's ports: its SSM commands end by {@code deadline} (Lambda's time left, the Task's TimeoutSeconds). */
    @Override
    public WorkflowRuntime within(Deadline stepDeadline) {
        return new AwsWorkflowRuntime(settings, configs, stateStore, notifier, hosts, deadline.min(stepDeadline));
    }

    @Override
    public FailoverContext context(String cluster) {
        ClusterConfig config = configs.load(cluster);
        SsmNodeAgent agent = hosts.nodeAgent(config).within(deadline);
        Supplier<ClusterConfig> sameConfig = () -> config; // one read per step: a phase sees one consistent config
        return FailoverContext.builder(sameConfig)
                .writerIp(hosts.writerIp(config, agent))
                .nodeAgent(agent)
                .waitTimeout(settings.waitTimeout())
                .progress((phase, message) -> System.out.println(phase + ": " + message))
                .build();
    }

    /** EMF on stdout: the function's log stream carries the figures to CloudWatch. */
    @Override
    public io.mhaserverless.core.metrics.MetricsSink metrics() {
        return io.mhaserverless.core.metrics.Emf.stdout();
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
