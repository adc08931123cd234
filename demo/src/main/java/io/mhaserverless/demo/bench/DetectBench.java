package io.mhaserverless.demo.bench;

import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.demo.KillAndFailover;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.MariaDbInstallation;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxSpec;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Detection as {@code mha manager} does it: fault -> death confirmed -> failover started; never asserted in tests. */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        description = {"N runs per fault (SIGKILL of the master; SIGSTOP of the master, a hang) of: fresh GTID sandbox, the",
                "prober watching it as mha manager does, the fault, detection, the failover it starts. Prints per run and",
                "the median / min / max of fault -> death confirmed and fault -> execution started."})
public final class DetectBench implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "runs per fault (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--replicas", defaultValue = "2", description = "replicas per sandbox (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--ping-interval-ms", defaultValue = "1000", description = "pingInterval (default: ${DEFAULT-VALUE})")
    long pingIntervalMs;

    @Option(names = "--ping-failures", defaultValue = "3", description = "pingFailures (default: ${DEFAULT-VALUE})")
    int pingFailures;

    @Option(names = "--faults", split = ",", defaultValue = "KILL,HANG", description = "KILL, HANG or both (default: ${DEFAULT-VALUE})")
    List<KillAndFailover.Fault> faults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || replicas < 1 || replicas > SandboxSpec.MAX_REPLICAS || pingIntervalMs < 100 || pingFailures < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs ≥ 1, --replicas 1.." + SandboxSpec.MAX_REPLICAS + ", --ping-interval-ms ≥ 100, --ping-failures ≥ 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("machine: %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), MariaDbInstallation.locate().version());
        out.printf("inputs: %d runs per fault, 1 master + %d replicas, GTID, pingInterval %d ms, pingFailures %d, deadMasterGrace 0,"
                + " replicas' MASTER_HEARTBEAT_PERIOD 1 s, slave_net_timeout 5 s%n", runs, replicas, pingIntervalMs, pingFailures);
        for (KillAndFailover.Fault fault : faults) {
            List<Long> detected = new ArrayList<>();
            List<Long> started = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, ReplicationMode.GTID))) {
                    String yaml = SandboxConfig.yaml("bench", sandbox, List.of("pingFailures: " + pingFailures), name -> "")
                            .replace("pingInterval: 1s", "pingInterval: " + pingIntervalMs + "ms");
                    KillAndFailover.Outcome outcome;
                    try {
                        outcome = KillAndFailover.run(sandbox, yaml, KillAndFailover.stateMachine(LocalFailover.bundled(), WriterIp.NONE,
                                KillAndFailover.nodeAgent(sandbox), new FileStateStore(sandbox.directory().resolve("state"),
                                        Clock.systemUTC()), new ConsoleNotifier(new PrintWriter(Writer.nullWriter()), Optional.empty()),
                                Progress.SILENT), fault, Progress.SILENT);
                    } finally {
                        sandbox.master().kill(); // a hung master must not wake up writable
                    }
                    KillAndFailover.Timings t = outcome.timings();
                    detected.add(t.detectionMillis());
                    started.add(t.toStartMillis());
                    out.printf("%s run %d: death confirmed %5d ms, execution started %5d ms after the fault; failover %s, new master %s%n",
                            fault, run, t.detectionMillis(), t.toStartMillis(), outcome.result().outcome().label(),
                            outcome.result().newMaster());
                    out.flush();
                }
            }
            out.println(FailoverBench.summary(fault + ": fault -> death confirmed", detected));
            out.println(FailoverBench.summary(fault + ": fault -> execution started", started));
        }
        return 0;
    }
}
