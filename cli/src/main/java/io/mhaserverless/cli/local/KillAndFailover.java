package io.mhaserverless.cli.local;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverEngine;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.probe.MasterProbe;
import io.mhaserverless.testbed.Sandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The local scenario behind {@code mha demo} and {@code mha bench failover}: SIGKILL the master of a
 * sandbox, detect it with the probe's ping loop, fail over with the engine, and time each step.
 */
public final class KillAndFailover {

    /** Milliseconds of each step, from the kill. */
    public record Timings(long killedAt, long detectedAt, long newMasterWritableAt, long replicasRepointedAt) {
        public long detectionMillis() {
            return detectedAt - killedAt;
        }

        public long toWritableMillis() {
            return newMasterWritableAt - detectedAt;
        }

        public long toRepointedMillis() {
            return replicasRepointedAt - detectedAt;
        }
    }

    public record Outcome(FailoverEngine.Result result, Timings timings) {
    }

    private KillAndFailover() {
    }

    public static Outcome run(Sandbox sandbox, String configYaml, WriterIp writerIp, NodeAgent nodeAgent, Progress progress) {
        ClusterConfig config = ConfigLoader.parseYaml(configYaml, "sandbox.yaml");
        Clock clock = Clock.systemUTC();
        ServerConfig master = config.server(sandbox.master().name()).orElseThrow();
        List<ServerConfig> replicas = config.servers().stream().filter(s -> s != master).toList();
        MasterProbe probe = new MasterProbe(config, clock);

        long killedAt = clock.millis();
        sandbox.master().kill();
        progress.info("Probe", "SIGKILL sent to " + sandbox.master() + "; pinging every " + config.pingInterval().toMillis()
                + " ms, dead after " + config.pingFailures() + " failures confirmed by the replicas");
        MasterProbe.Detection detection = probe.awaitDeath(master, replicas, Duration.ofSeconds(60))
                .orElseThrow(() -> new IllegalStateException("the probe did not see " + master.label() + " die within 60 s"));
        progress.info("Probe", master.label() + " is dead after " + detection.failedPings() + " failed pings ("
                + (detection.detectedAtMillis() - killedAt) + " ms after the kill); " + detection.confirmation());

        FailoverContext context = FailoverContext.builder(() -> config)
                .writerIp(writerIp)
                .nodeAgent(nodeAgent)
                .progress(progress)
                .clock(clock)
                .build();
        FailoverEngine.Result result = new FailoverEngine().run(
                FailoverState.start(config.cluster(), master.name(), null, false, clock.millis())
                        .withLastSeenMasterBinlog(detection.lastSeenBinlog()), context);
        return new Outcome(result, new Timings(killedAt, detection.detectedAtMillis(),
                end(result.state(), "RecoverNewMaster"), end(result.state(), "RecoverReplicas")));
    }

    private static long end(FailoverState state, String phase) {
        return state.phases().stream().filter(p -> p.phase().equals(phase)).findFirst()
                .map(p -> p.startedAtMillis() + p.millis()).orElse(-1L);
    }
}
