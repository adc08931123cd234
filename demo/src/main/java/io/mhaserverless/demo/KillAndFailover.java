package io.mhaserverless.demo;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.probe.MasterProbe;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The local scenario behind {@code mha demo} and {@code mha bench failover}: SIGKILL the master of a
 * sandbox, detect it with the probe's ping loop, fail over through the one path (asl.json under
 * {@link LocalFailover}, as {@code mha failover} runs it), and time each step.
 */
public final class KillAndFailover {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** What a failover left: how it ended, the new master, the report, and when each phase ran. */
    public record FailedOver(FailoverOutcome outcome, String newMaster, String reportText, List<FailoverState.PhaseRecord> phases) {
    }

    public record Outcome(FailedOver result, Timings timings) {
    }

    /** One way to fail over the dead master. */
    @FunctionalInterface
    public interface Runner {
        FailedOver run(ClusterConfig config, String deadMaster, String lastSeenBinlog, Clock clock);
    }

    private KillAndFailover() {
    }

    /** statemachine/asl.json, executed locally, over the local ports; the report goes to {@code notifier}. */
    public static Runner stateMachine(LocalFailover failover, WriterIp writerIp, NodeAgent nodeAgent, StateStore store,
                                      ConsoleNotifier notifier, Progress progress) {
        return (config, deadMaster, lastSeen, clock) -> {
            LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(config.cluster(), () -> config, writerIp, nodeAgent, store,
                    notifier, progress, clock, Duration.ofSeconds(60));
            var input = LocalFailover.input(config.cluster(), deadMaster, null, false, false);
            input.put("lastSeenMasterBinlog", lastSeen);
            LocalFailover.Result r = failover.run(input, runtime, progress);
            List<ConsoleNotifier.Published> published = notifier.published();
            String text = published.isEmpty() ? "(no report: " + r.error() + ": " + r.cause() + ")\n"
                    : published.get(published.size() - 1).text();
            List<FailoverState.PhaseRecord> phases = published.isEmpty() ? List.of() : phases(published.get(published.size() - 1).json());
            String newMaster = r.execution().output() == null ? null : r.execution().output().path("newMaster").asText(null);
            return new FailedOver(r.outcome(), newMaster, text, phases);
        };
    }

    /** The local node agent for a sandbox: its admin account, a work directory inside it, two minutes per call. */
    public static LocalNodeAgent nodeAgent(Sandbox sandbox) {
        return new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
                sandbox.directory().resolve("node-agent"), Duration.ofSeconds(120));
    }

    public static Outcome run(Sandbox sandbox, String configYaml, Runner runner, Progress progress) {
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

        FailedOver result = runner.run(config, master.name(), detection.lastSeenBinlog(), clock);
        return new Outcome(result, new Timings(killedAt, detection.detectedAtMillis(),
                end(result.phases(), "RecoverNewMaster"), end(result.phases(), "RecoverReplicas")));
    }

    private static List<FailoverState.PhaseRecord> phases(String reportJson) {
        try {
            JsonNode phases = JSON.readTree(reportJson).path("phases");
            return JSON.convertValue(phases, JSON.getTypeFactory().constructCollectionType(List.class, FailoverState.PhaseRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the report is not JSON", e);
        }
    }

    private static long end(List<FailoverState.PhaseRecord> phases, String phase) {
        return phases.stream().filter(p -> p.phase().equals(phase)).findFirst()
                .map(p -> p.startedAtMillis() + p.millis()).orElse(-1L);
    }
}
