package io.mhaserverless.demo.bench;

import io.mhaserverless.demo.KillAndFailover;
import io.mhaserverless.demo.bench.aws.AwsModelBench;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.node.protocol.AgentLauncher;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.testbed.MariaDbInstallation;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The failover benchmark: kill, detect and fail over through the one path, timed; never asserted in tests. */
@Command(name = "failover",
        mixinStandardHelpOptions = true,
        description = {"N runs of: fresh GTID sandbox, write load for a while, SIGKILL of the master, detection by",
                "the ping loop, failover. Prints per run and the median / min / max of detection time",
                "(kill -> death confirmed) and failover time (confirmed -> new master writable, -> all replicas",
                "repointed), kill -> writable, the time of each state of asl.json and between them, and the",
                "transactions on each server."})
public final class FailoverBench implements Callable<Integer> {

    private static final LocalFailover FAILOVER = LocalFailover.bundled();

    @Option(names = "--runs", defaultValue = "5", description = "number of runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--replicas", defaultValue = "3", description = "replicas per sandbox (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--ping-interval-ms", defaultValue = "1000", description = "pingInterval (default: ${DEFAULT-VALUE})")
    long pingIntervalMs;

    @Option(names = "--ping-failures", defaultValue = "3", description = "pingFailures (default: ${DEFAULT-VALUE})")
    int pingFailures;

    @Option(names = "--load-ms", defaultValue = "1500", description = "write load before the kill (default: ${DEFAULT-VALUE})")
    long loadMillis;

    @Option(names = "--aws-latencies", paramLabel = "FILE",
            description = "model AWS: run the failover over the AWS adapters (DynamoDB Local, FakeAws) with this profile's"
                    + " per-call delays (docs/aws-latencies.properties) and print kill -> writes accepted at the writer IP")
    java.nio.file.Path awsLatencies;

    @Option(names = "--agent-jar", paramLabel = "JAR",
            description = "run the node agent from this jar (and the archive or AOT cache beside it), as the release archive's bin/mha"
                    + " runs lib/mha-node-agent.jar; e.g. node-agent/target/mha-node-agent.jar (default: from this jar's class path)")
    Path agentJar;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || replicas < 1 || replicas > SandboxSpec.MAX_REPLICAS || pingIntervalMs < 100 || pingFailures < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs ≥ 1, --replicas 1.." + SandboxSpec.MAX_REPLICAS + ", --ping-interval-ms ≥ 100, --ping-failures ≥ 1");
        }
        if (agentJar != null) {
            if (!Files.isRegularFile(agentJar)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--agent-jar " + agentJar + " does not exist: build it "
                        + "(mvn -pl node-agent -am package -DskipTests)");
            }
            System.setProperty(AgentLauncher.JAR_PROPERTY, agentJar.toAbsolutePath().normalize().toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (awsLatencies != null) {
            return AwsModelBench.start(spec.commandLine(), awsLatencies, runs, replicas, pingIntervalMs, pingFailures, loadMillis);
        }
        out.printf("machine: %d cores, %d MiB max heap, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name") + " " + System.getProperty("os.version"),
                MariaDbInstallation.locate().version());
        out.printf("inputs: %d runs, 1 master + %d replicas, GTID, pingInterval %d ms, pingFailures %d, %d ms of writes before the kill%n",
                runs, replicas, pingIntervalMs, pingFailures, loadMillis);
        out.printf("node agent: %s, java %d%n", agentJar == null ? "from this jar's class path" : agentJar.toAbsolutePath().normalize(),
                Runtime.version().feature());
        List<Long> detection = new ArrayList<>();
        List<Long> writable = new ArrayList<>();
        List<Long> repointed = new ArrayList<>();
        List<Long> killToWritable = new ArrayList<>();
        StateTimes states = new StateTimes();
        List<Long> writableWithTail = new ArrayList<>();
        List<Long> writableWithout = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, ReplicationMode.GTID))) {
                ServerNode master = sandbox.master();
                String yaml = SandboxConfig.yaml("bench", sandbox,
                        List.of("pingFailures: " + pingFailures), name -> "")
                        .replace("pingInterval: 1s", "pingInterval: " + pingIntervalMs + "ms");
                WriteLoad.createTable(master.host(), master.port());
                KillAndFailover.Outcome outcome;
                CountedAgentCalls agentCalls = new CountedAgentCalls();
                try (WriteLoad load = new WriteLoad(master.host(), master.port(), false)) {
                    Thread.sleep(loadMillis);
                    outcome = KillAndFailover.run(sandbox, yaml,
                            KillAndFailover.stateMachine(FAILOVER, WriterIp.NONE, agentCalls.wrap(KillAndFailover.nodeAgent(sandbox)),
                                    new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()),
                                    new ConsoleNotifier(new PrintWriter(Writer.nullWriter()), Optional.empty()), Progress.SILENT),
                            Progress.SILENT);
                }
                if (outcome.result().outcome() != FailoverOutcome.SUCCEEDED) {
                    out.println("run " + run + ": failover " + outcome.result().outcome() + "\n" + outcome.result().reportText());
                    return 1;
                }
                KillAndFailover.Timings t = outcome.timings();
                detection.add(t.detectionMillis());
                writable.add(t.toWritableMillis());
                repointed.add(t.toRepointedMillis());
                killToWritable.add(t.newMasterWritableAt() - t.killedAt());
                states.add(t.detectedAt(), outcome.result().phases());
                String counts = sandbox.nodes().stream().map(n -> n.name() + "=" + (n.state() == ServerNode.State.RUNNING
                                ? n.queryString("SELECT COUNT(*) FROM " + WriteLoad.TABLE).orElse("?") : "dead"))
                        .collect(Collectors.joining(" "));
                String tail = CountedAgentCalls.tail(outcome.result().reportText());
                (tail.startsWith("tail ") ? writableWithTail : writableWithout).add(t.toWritableMillis());
                out.printf("run %d: detection %5d ms | new master %s writable after %4d ms | all replicas repointed after %4d ms | rows %s%n"
                                + "       %s | node-agent calls %d, %d on the dead master's host: %s%n",
                        run, t.detectionMillis(), outcome.result().newMaster(), t.toWritableMillis(), t.toRepointedMillis(), counts,
                        tail, agentCalls.calls().size(), agentCalls.on(master.name()), agentCalls.calls());
                out.flush();
            }
        }
        out.println(summary("detection (kill -> confirmed dead)", detection));
        out.println(summary("failover (confirmed -> new master writable)", writable));
        out.println(summary("failover (confirmed -> all replicas repointed)", repointed));
        out.println(summary("kill -> new master writable", killToWritable));
        out.println("per state of asl.json (the report's phase times; \"before\" = confirmed -> first state, \"between\" = the gaps):");
        states.print(out);
        if (!writableWithTail.isEmpty()) {
            out.println(summary("  writable, runs with a saved tail", writableWithTail));
        }
        if (!writableWithout.isEmpty()) {
            out.println(summary("  writable, runs without one", writableWithout));
        }
        return 0;
    }

    static String summary(String what, List<Long> millis) {
        return summary(what, millis, 48, 5);
    }

    /** One line of median, min, max and every sample; the widths keep a bench's lines in columns. */
    public static String summary(String what, List<Long> millis, int labelWidth, int numberWidth) {
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
        return String.format("%-" + labelWidth + "s median %7.1f ms   min %" + numberWidth + "d ms   max %" + numberWidth
                + "d ms   (n=%d: %s)", what, median, sorted[0], sorted[sorted.length - 1], sorted.length, Arrays.toString(sorted));
    }
}
