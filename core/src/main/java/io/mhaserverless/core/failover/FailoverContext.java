package io.mhaserverless.core.failover;

import io.mhaserverless.core.switchover.SwitchPoint;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Stonith;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.topology.Topology;
import io.mhaserverless.core.topology.TopologyDiscovery;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the phases work with besides the state: the config (read anew by every phase, as a Lambda
 * invocation would), connections, the ports, the clock and the time limits of every wait.
 */
public final class FailoverContext {

    private final Supplier<ClusterConfig> configSource;
    private final WriterIp writerIp;
    private final Stonith stonith;
    private final NodeAgent nodeAgent;
    private final Progress progress;
    private final Clock clock;
    private final Duration waitTimeout;
    private final SwitchPoint.FaultHook faults;

    private FailoverContext(Builder b) {
        this.configSource = Objects.requireNonNull(b.configSource, "configSource");
        this.writerIp = b.writerIp;
        this.stonith = b.stonith;
        this.nodeAgent = b.nodeAgent;
        this.progress = b.progress;
        this.clock = b.clock;
        this.waitTimeout = b.waitTimeout;
        this.faults = b.faults;
    }

    public static Builder builder(Supplier<ClusterConfig> configSource) {
        return new Builder(configSource);
    }

    public ClusterConfig config() {
        return configSource.get();
    }

    public WriterIp writerIp() {
        return writerIp;
    }

    public Stonith stonith() {
        return stonith;
    }

    public NodeAgent nodeAgent() {
        return nodeAgent;
    }

    public Progress progress() {
        return progress;
    }

    public Clock clock() {
        return clock;
    }

    /** The limit of each wait for a replica to apply or receive transactions (MHA had none: issue #72). */
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /** Called at each moment of a switchover's write block: nothing in production, a failure where a test injects one. */
    public SwitchPoint.FaultHook faults() {
        return faults;
    }

    /** The same ports with a fixed configuration: the one pinned when the failover started. */
    public FailoverContext withConfig(ClusterConfig pinned) {
        return builder(() -> pinned).writerIp(writerIp).stonith(stonith).nodeAgent(nodeAgent).progress(progress).clock(clock)
                .waitTimeout(waitTimeout).faults(faults).build();
    }

    /** The same context with a fault hook (tests of the switchover's rollback). */
    public FailoverContext withFaults(SwitchPoint.FaultHook hook) {
        return builder(configSource).writerIp(writerIp).stonith(stonith).nodeAgent(nodeAgent).progress(progress).clock(clock)
                .waitTimeout(waitTimeout).faults(hook).build();
    }

    public Topology discover(ClusterConfig config) {
        return new TopologyDiscovery(Connector.forCluster(config)).discover(config);
    }

    /** A session to a server that must be alive for the phase to go on. */
    public ServerSession open(ClusterConfig config, ServerConfig server) {
        try {
            return Connector.forCluster(config).open(server);
        } catch (ServerUnreachableException | ServerRefusedException e) {
            throw new FailoverException(e.getMessage(), e);
        }
    }

    public static final class Builder {
        private final Supplier<ClusterConfig> configSource;
        private WriterIp writerIp = WriterIp.NONE;
        private Stonith stonith = Stonith.NONE;
        private NodeAgent nodeAgent = NodeAgent.NONE;
        private Progress progress = Progress.SILENT;
        private Clock clock = Clock.systemUTC();
        private Duration waitTimeout = Duration.ofSeconds(60);
        private SwitchPoint.FaultHook faults = SwitchPoint.FaultHook.NONE;

        private Builder(Supplier<ClusterConfig> configSource) {
            this.configSource = configSource;
        }

        public Builder writerIp(WriterIp value) {
            this.writerIp = value;
            return this;
        }

        public Builder stonith(Stonith value) {
            this.stonith = value;
            return this;
        }

        public Builder nodeAgent(NodeAgent value) {
            this.nodeAgent = value;
            return this;
        }

        public Builder progress(Progress value) {
            this.progress = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder waitTimeout(Duration value) {
            this.waitTimeout = value;
            return this;
        }

        public Builder faults(SwitchPoint.FaultHook value) {
            this.faults = java.util.Objects.requireNonNull(value, "faults");
            return this;
        }

        public FailoverContext build() {
            return new FailoverContext(this);
        }
    }
}
