package io.mhaserverless.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.probe.ClusterWatch;
import io.mhaserverless.core.probe.ProbeStep;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.LocalWorkflowStarter;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The local scenario behind {@code mha-demo demo} and the benchmarks: the prober watches a sandbox
 * as {@code mha manager} does ({@link ClusterWatch}: lease, discovery, pings, the replicas' view),
 * the master is killed (or hung), the prober confirms the death and starts the failover through
 * the one path (asl.json under {@link LocalFailover}), then goes on watching the new master.
 * Each step is timed from the fault.
 */
public final class KillAndFailover {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FAILOVER_LIMIT = Duration.ofMinutes(3);

    /** Milliseconds since the epoch of each step. */
    public record Timings(long killedAt, long detectedAt, long startedAt, long newMasterWritableAt, long replicasRepointedAt) {
        public long detectionMillis() {
            return detectedAt - killedAt;
        }

        public long toStartMillis() {
            return startedAt - killedAt;
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

    /** The local ports the prober fails over with; the report goes to {@code notifier}. */
    public record Ports(LocalFailover failover, WriterIp writerIp, NodeAgent nodeAgent, StateStore store, ConsoleNotifier notifier,
                        Progress progress) {
    }

    /** How the master is made to fail. */
    public enum Fault {
        KILL("SIGKILL") {
            @Override
            void inflict(ServerNode master) {
                master.kill();
            }
        },
        HANG("SIGSTOP") {
            @Override
            void inflict(ServerNode master) {
                master.pause();
            }
        };

        private final String signal;

        Fault(String signal) {
            this.signal = signal;
        }

        abstract void inflict(ServerNode master);
    }

    private KillAndFailover() {
    }

    /** statemachine/asl.json, executed locally, over these local ports. */
    public static Ports stateMachine(LocalFailover failover, WriterIp writerIp, NodeAgent nodeAgent, StateStore store,
                                     ConsoleNotifier notifier, Progress progress) {
        return new Ports(failover, writerIp, nodeAgent, store, notifier, progress);
    }

    /** The local node agent for a sandbox: its admin account, a work directory inside it, two minutes per call. */
    public static LocalNodeAgent nodeAgent(Sandbox sandbox) {
        return new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
                sandbox.directory().resolve("node-agent"), Duration.ofSeconds(120));
    }

    public static Outcome run(Sandbox sandbox, String configYaml, Ports ports, Progress progress) {
        return run(sandbox, configYaml, ports, Fault.KILL, progress);
    }

    public static Outcome run(Sandbox sandbox, String configYaml, Ports ports, Fault fault, Progress progress) {
        ClusterConfig config = ConfigLoader.parseYaml(configYaml, "sandbox.yaml");
        Clock clock = Clock.systemUTC();
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(config.cluster(), () -> config, ports.writerIp(), ports.nodeAgent(),
                ports.store(), ports.notifier(), ports.progress(), clock, Duration.ofSeconds(60))
                .withMetrics(new io.mhaserverless.local.ConsoleFigures(
                        line -> ports.progress().info("Figures", line.replaceFirst("^Figures: ", ""))));
        List<LocalFailover.Result> results = new CopyOnWriteArrayList<>();
        LocalWorkflowStarter starter = new LocalWorkflowStarter(ports.failover(), runtime, ports.progress(), results::add);
        List<ProbeStep> steps = new CopyOnWriteArrayList<>();
        Consumer<ProbeStep> show = step -> {
            if (!step.step().equals("start")) { // the failover's own progress says it better
                progress.info("Probe", step.step() + ": " + step.verdict() + (step.detail().isEmpty() ? "" : " (" + step.detail() + ")"));
            }
        };
        ClusterWatch watch = new ClusterWatch(() -> config, ports.store(), starter, ports.nodeAgent(), step -> {
            steps.add(step);
            show.accept(step);
        }, clock, "demo@" + ProcessHandle.current().pid());
        Thread watcher = new Thread(() -> watch.watch(Instant.MAX), "mha-manager-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            await(steps, s -> s.step().equals("discover") && s.verdict().equals("master"), Duration.ofSeconds(30),
                    "the prober found no master to watch");
            long killedAt = clock.millis();
            fault.inflict(sandbox.master());
            progress.info("Probe", fault.signal + " sent to " + sandbox.master() + "; pinging every " + config.pingInterval().toMillis()
                    + " ms, dead after " + config.pingFailures() + " failures confirmed by the replicas");
            awaitResult(results, FAILOVER_LIMIT);
            String oldMaster = sandbox.master().name();
            ProbeStep stillWatching = await(steps, s -> s.step().equals("discover") && s.verdict().equals("master")
                    && !oldMaster.equals(s.master()), Duration.ofSeconds(30), "the prober did not go on to watch the new master");
            progress.info("Probe", "still watching: now " + stillWatching.master());
            long detectedAt = first(steps, s -> s.step().equals("verdict") && s.verdict().equals("dead")).at().toEpochMilli();
            long startedAt = first(steps, s -> s.step().equals("start") && s.verdict().equals("starting")).at().toEpochMilli();
            FailedOver result = failedOver(results.get(0), ports.notifier());
            return new Outcome(result, new Timings(killedAt, detectedAt, startedAt,
                    end(result.phases(), "RecoverNewMaster"), end(result.phases(), "RecoverReplicas")));
        } finally {
            watcher.interrupt();
            try {
                watcher.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FailedOver failedOver(LocalFailover.Result r, ConsoleNotifier notifier) {
        List<ConsoleNotifier.Published> published = notifier.published();
        String text = published.isEmpty() ? "(no report: " + r.error() + ": " + r.cause() + ")\n"
                : published.get(published.size() - 1).text();
        List<FailoverState.PhaseRecord> phases = published.isEmpty() ? List.of() : phases(published.get(published.size() - 1).json());
        return new FailedOver(r.outcome(), r.newMaster(), text, phases);
    }

    private static ProbeStep await(List<ProbeStep> steps, Predicate<ProbeStep> what, Duration timeout, String failure) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<ProbeStep> s = steps.stream().filter(what).findFirst();
            if (s.isPresent()) {
                return s.get();
            }
            sleep(50);
        }
        throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s");
    }

    private static void awaitResult(List<LocalFailover.Result> results, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (results.isEmpty()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("no failover ended within " + timeout.toSeconds() + " s of the fault");
            }
            sleep(50);
        }
    }

    private static ProbeStep first(List<ProbeStep> steps, Predicate<ProbeStep> what) {
        return steps.stream().filter(what).findFirst().orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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
