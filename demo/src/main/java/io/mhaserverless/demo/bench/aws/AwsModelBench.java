package io.mhaserverless.demo.bench.aws;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.probe.ClusterWatch;
import io.mhaserverless.core.probe.ProbeStep;
import io.mhaserverless.functions.HostPorts;
import io.mhaserverless.functions.aws.StepFunctionsStarter;
import io.mhaserverless.local.statemachine.Event;
import io.mhaserverless.local.statemachine.Execution;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.WriteLoad;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code mha-demo bench failover --aws-latencies FILE}: the failover as it runs on AWS, with AWS's
 * answer times modelled by a profile. Per run: a fresh GTID sandbox under writes, the probe's
 * {@link ClusterWatch} over the AWS adapters (DynamoDB lease, SSM secondary check, StartExecution),
 * SIGKILL of the master, asl.json through the local runtime calling the phase function, whose
 * adapters reach DynamoDB Local and FakeAws; every call waits as the profile says.
 *
 * <p>"Writes accepted at the writer IP" is the later of: the new master writable (RecoverNewMaster
 * done) and the writer IP moved to it (MoveWriterIp done) plus the address's propagation
 * ({@code ec2.propagation}, added here: nothing in the failover waits for it). Every figure is from
 * the kill, plus {@code probe.nextTick}.
 */
public final class AwsModelBench {

    /** Milliseconds from the kill of each point, and each top-level state's own time. */
    record Run(long detected, long started, long writable, long writerIpMoved, long writesAccepted, long repointed,
               Map<String, Long> states, String newMaster, List<AwsLatencyProfile.Contribution> added,
               Map<String, Map<String, Long>> addedPerState, List<long[]> ssm) {
    }

    private final AwsLatencyProfile profile;
    private final Path profileFile;
    private final int runs;
    private final int replicas;
    private final long pingIntervalMs;
    private final int pingFailures;
    private final long loadMillis;

    public AwsModelBench(Path profileFile, int runs, int replicas, long pingIntervalMs, int pingFailures, long loadMillis) {
        this.profileFile = profileFile;
        this.profile = AwsLatencyProfile.read(profileFile, 2026);
        this.runs = runs;
        this.replicas = replicas;
        this.pingIntervalMs = pingIntervalMs;
        this.pingFailures = pingFailures;
        this.loadMillis = loadMillis;
    }

    /** The option's entry: a bad profile is a usage error naming the file, line and key. */
    public static int start(picocli.CommandLine cmd, Path profileFile, int runs, int replicas, long pingIntervalMs, int pingFailures,
                            long loadMillis) throws Exception {
        AwsModelBench bench;
        try {
            bench = new AwsModelBench(profileFile, runs, replicas, pingIntervalMs, pingFailures, loadMillis);
        } catch (AwsLatencyProfile.BadProfile bad) {
            throw new picocli.CommandLine.ParameterException(cmd, bad.getMessage());
        }
        PrintWriter out = cmd.getOut();
        out.printf("machine: %d cores, load average %.2f, %s%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                io.mhaserverless.testbed.MariaDbInstallation.locate().version());
        // The function and the probe log to stdout as on Lambda (EMF, step lines); the bench's own lines go to out.
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return bench.run(out);
        } finally {
            System.setOut(stdout);
        }
    }

    public int run(PrintWriter out) throws Exception {
        out.printf("AWS latency profile: %s (%d keys; log-normal draws, seed 2026)%n", profileFile, profile.entries().size());
        out.printf("inputs: %d runs, 1 master + %d replicas, GTID, pingInterval %d ms, pingFailures %d, %d ms of writes before the kill%n",
                runs, replicas, pingIntervalMs, pingFailures, loadMillis);
        List<Run> results = new ArrayList<>();
        Map<String, long[]> contributed = new LinkedHashMap<>();
        long tick = Math.round(profile.entry("probe.nextTick").medianMs());
        for (int i = 1; i <= runs; i++) {
            Run r = once(tick);
            results.add(r);
            r.added().forEach(c -> {
                long[] sum = contributed.computeIfAbsent(c.key(), k -> new long[2]);
                sum[0] += c.calls();
                sum[1] += c.millis();
            });
            out.printf("run %d: detected %5d | execution started %5d | new master %s writable %5d | writer IP moved %5d"
                            + " | writes accepted at the writer IP %5d | all replicas repointed %5d ms after the kill%n",
                    i, r.detected(), r.started(), r.newMaster(), r.writable(), r.writerIpMoved(), r.writesAccepted(), r.repointed());
            out.println("       states: " + r.states().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")) + " (ms)");
            out.flush();
        }
        out.println("from the kill (probe.nextTick " + tick + " ms included):");
        out.println(summary("detected (death confirmed)", results.stream().map(Run::detected).toList()));
        out.println(summary("execution started", results.stream().map(Run::started).toList()));
        out.println(summary("new master writable", results.stream().map(Run::writable).toList()));
        out.println(summary("writer IP moved (+ propagation)", results.stream().map(Run::writerIpMoved).toList()));
        out.println(summary("writes accepted at the writer IP", results.stream().map(Run::writesAccepted).toList()));
        out.println(summary("all replicas repointed", results.stream().map(Run::repointed).toList()));
        out.println("per state (median of the runs):");
        results.get(0).states().keySet().forEach(state -> out.println(summary("  " + state,
                results.stream().map(r -> r.states().getOrDefault(state, 0L)).toList())));
        out.println("the profile's delays inside each state (mean per run, ms; a Map's parallel calls overlap):");
        results.get(0).states().keySet().forEach(state -> {
            Map<String, Long> sum = new LinkedHashMap<>();
            results.forEach(r -> r.addedPerState().getOrDefault(state, Map.of()).forEach((k, v) -> sum.merge(k, v, Long::sum)));
            if (!sum.isEmpty()) {
                out.println("  " + state + ": " + sum.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .map(x -> x.getKey() + " " + x.getValue() / runs).collect(Collectors.joining(", ")));
            }
        });
        List<long[]> ssm = results.stream().flatMap(r -> r.ssm().stream()).toList();
        if (!ssm.isEmpty()) {
            out.printf("SSM commands of the execution: %.1f per run; mean SendCommand -> agent starts %d ms, agent runs %d ms,"
                            + " agent done -> the adapter's poll sees it %d ms%n", ssm.size() / (double) runs,
                    Math.round(ssm.stream().mapToLong(x -> x[0]).average().orElse(0)),
                    Math.round(ssm.stream().mapToLong(x -> x[1]).average().orElse(0)),
                    Math.round(ssm.stream().mapToLong(x -> x[2]).average().orElse(0)));
        }
        out.println("what the profile added, from the kill to the end (per run: calls x delay; parallel calls overlap):");
        contributed.forEach((key, sum) -> out.printf("  %-30s %6.1f calls  %8.1f ms%n", key, sum[0] / (double) runs,
                sum[1] / (double) runs));
        return 0;
    }

    private Run once(long tick) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, ReplicationMode.GTID))) {
            Path work = Files.createDirectories(sandbox.directory().resolve("aws"));
            try (ModelledAwsStack stack = new ModelledAwsStack(sandbox,
                    ModelledAwsStack.clusterYaml(sandbox, pingIntervalMs, pingFailures, true), profile, work)) {
                ClusterConfig config = ConfigLoader.parseYaml(ModelledAwsStack.clusterYaml(sandbox, pingIntervalMs, pingFailures, false),
                        "bench.yaml");
                // The probe as ProbeFunction wires it (ProbePorts), its config read once at the start of the invocation.
                StateStore store = stack.context.getBean(StateStore.class);
                HostPorts hosts = stack.context.getBean(HostPorts.class);
                StepFunctionsStarter starter = new StepFunctionsStarter(stack.context.getBean(SfnClient.class), stack.stateMachineArn);
                List<ProbeStep> steps = new CopyOnWriteArrayList<>();
                ClusterWatch watch = new ClusterWatch(() -> config, store, starter, hosts.nodeAgent(config), steps::add,
                        Clock.systemUTC(), "bench-probe", Optional.of(Duration.ofSeconds(30)));
                WriteLoad.createTable(sandbox.master().host(), sandbox.master().port());
                Thread watcher = new Thread(() -> watch.watch(Instant.now().plus(Duration.ofMinutes(5))), "bench-probe");
                watcher.setDaemon(true);
                try (WriteLoad load = new WriteLoad(sandbox.master().host(), sandbox.master().port(), false)) {
                    stack.modelLatency();
                    watcher.start();
                    await(steps, s -> s.step().equals("discover") && s.verdict().equals("master"), "the probe found no master");
                    Thread.sleep(loadMillis);
                    profile.resetContributions();
                    long killedAt = System.currentTimeMillis();
                    sandbox.master().kill();
                    Execution e = stack.execution.get(5, TimeUnit.MINUTES);
                    if (!e.succeeded()) {
                        throw new IllegalStateException("the failover ended " + e.status() + ": " + e.error() + ": " + e.cause());
                    }
                    long detected = steps.stream().filter(s -> s.step().equals("verdict") && s.verdict().equals("dead")).findFirst()
                            .orElseThrow().at().toEpochMilli();
                    List<AwsLatencyProfile.Contribution> added = profile.contributions();
                    List<AwsLatencyProfile.Draw> draws = profile.draws();
                    List<Event> events = List.copyOf(stack.events);
                    long started = events.stream().filter(x -> x.type().equals("ExecutionStarted")).findFirst().orElseThrow().timestamp();
                    long writable = exited(events, "RecoverNewMaster");
                    long propagation = profile.draw("ec2.propagation").toMillis();
                    long moved = exited(events, "MoveWriterIp") + propagation;
                    long repointed = exited(events, "RecoverReplicas");
                    return new Run(detected - killedAt + tick, started - killedAt + tick, writable - killedAt + tick,
                            moved - killedAt + tick, Math.max(writable, moved) - killedAt + tick, repointed - killedAt + tick,
                            stateTimes(events), e.output() == null ? "?" : e.output().path("newMaster").asText("?"), added,
                            perState(events, draws), ssmCommands(stack.agentRuns, draws, started));
                } finally {
                    watcher.interrupt();
                    watcher.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
        }
    }

    /**
     * Each SSM command of the execution: {SendCommand sent -> the agent starts (delivery), the agent's
     * run, the agent done -> the adapter's poll that sees it answered}. Commands of a failover run
     * one at a time (GTID), so each is matched with the SendCommand before it and the next poll after it.
     */
    private static List<long[]> ssmCommands(List<ModelledAwsStack.AgentRun> runs, List<AwsLatencyProfile.Draw> draws, long from) {
        List<long[]> out = new ArrayList<>();
        for (ModelledAwsStack.AgentRun r : runs) {
            if (r.started() < from) {
                continue; // the probe's secondary check, before the execution
            }
            Optional<AwsLatencyProfile.Draw> sent = draws.stream().filter(d -> d.key().equals("ssm.SendCommand") && d.at() <= r.started())
                    .reduce((a, b) -> b);
            Optional<AwsLatencyProfile.Draw> seen = draws.stream()
                    .filter(d -> d.key().equals("ssm.GetCommandInvocation") && d.at() >= r.ended()).findFirst();
            if (sent.isPresent() && seen.isPresent()) {
                out.add(new long[] {r.started() - sent.get().at(), r.ended() - r.started(), seen.get().at() + seen.get().millis() - r.ended()});
            }
        }
        return out;
    }

    /** One pass of a top-level state: its StateEntered to its StateExited (a retried state has several). */
    private record Pass(String state, long from, long to) {
    }

    private static List<Pass> passes(List<Event> events) {
        List<Pass> passes = new ArrayList<>();
        Map<String, Long> entered = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.index() != null || e.parent() != null) {
                continue;
            }
            if ("StateEntered".equals(e.type())) {
                entered.put(e.state(), e.timestamp());
            } else if ("StateExited".equals(e.type()) && entered.containsKey(e.state())) {
                passes.add(new Pass(e.state(), entered.get(e.state()), e.timestamp()));
            }
        }
        return passes;
    }

    /** The profile's delays drawn while each top-level state ran (its StateEntered to StateExited), per key. */
    private static Map<String, Map<String, Long>> perState(List<Event> events, List<AwsLatencyProfile.Draw> draws) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Pass p : passes(events)) {
            Map<String, Long> keys = out.computeIfAbsent(p.state(), k -> new LinkedHashMap<>());
            draws.stream().filter(d -> d.at() >= p.from() && d.at() < p.to()).forEach(d -> keys.merge(d.key(), d.millis(), Long::sum));
        }
        return out;
    }

    private static long exited(List<Event> events, String state) {
        return events.stream().filter(e -> e.index() == null && "StateExited".equals(e.type()) && state.equals(e.state()))
                .mapToLong(Event::timestamp).max()
                .orElseThrow(() -> new IllegalStateException("the execution never left " + state));
    }

    /** Each top-level state's wall time (StateEntered to StateExited; a retried state's last pass). */
    private static Map<String, Long> stateTimes(List<Event> events) {
        Map<String, Long> took = new LinkedHashMap<>();
        passes(events).forEach(p -> took.put(p.state(), p.to() - p.from()));
        return took;
    }

    private static void await(List<ProbeStep> steps, Predicate<ProbeStep> what, String failure) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (steps.stream().noneMatch(what)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(failure + " within 60 s");
            }
            Thread.sleep(50);
        }
    }

    static String summary(String what, List<Long> millis) {
        return io.mhaserverless.demo.bench.FailoverBench.summary(what, millis, 40, 6);
    }
}
