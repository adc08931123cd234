package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.local.LocalWorkflowRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MHA's {@code masterha_master_switch --master_state=dead}: fail over a dead master from an operator's shell. */
@Command(name = "failover",
        mixinStandardHelpOptions = true,
        description = {"Fails over a dead master by running the bundled state machine in this process.",
                "Fails over a dead master by running statemachine/asl.json (bundled) in this process, the same states Step Functions runs, each Task answered here: confirms the master is dead, fences it, finds the latest replicas, selects and recovers the new master, repoints the other replicas, and prints the failover report. Refuses (changing nothing) when the master is alive, the topology is ambiguous, errant transactions leave no replica to promote (unless forced), or the dead master's host answers but its binlogDir cannot be read (unless forced). A replica with errant transactions is left out (not promoted, not repointed) and reported."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the new master serves and every replica follows it",
                "10:the new master serves, but some replica could not be repointed or was left out (see the report)",
                "11:the new master serves, but transactions the dead master wrote may be lost: its binlog could",
                "  not be read (see the report; some replica may not follow either)",
                "1:the failover stopped or was refused (another is running, the last one failed or is recent);",
                "  the report names every phase that had acted",
                "2:bad input: usage or config"})
public final class FailoverCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--dead-master", paramLabel = "NAME", description = "the master that died (default: discovered)")
    String deadMaster;

    @Option(names = "--new-master", paramLabel = "NAME", description = "promote this replica (default: MHA's selection rules)")
    String newMaster;

    @Option(names = "--force-with-possible-data-loss",
            description = "promote despite errant transactions or a replica behind the latest by more than checkReplDelay;"
                    + " go on when the dead master's host answers but its binlog cannot be read")
    boolean force;

    @Option(names = "--ignore-last-failover",
            description = "fail over even though the last failover was recent or failed unacknowledged (MHA's --ignore_last_failover)")
    boolean ignoreLastFailover;

    @CommandLine.Mixin
    LocalRunOptions run = new LocalRunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        run.validate(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig cluster = ConfigLoader.load(config);
        LocalRun.noteWriterIp(out, cluster);
        LocalFailover failover = LocalFailover.bundled();
        Progress progress = printer(out);
        ConsoleNotifier notifier = run.notifier(out);
        FileStateStore store = run.store();
        LocalWorkflowRuntime runtime = run.runtime(cluster, config, localAgent(cluster, run.stateDir), store, notifier, progress);
        LocalFailover.Result result = failover.run(LocalFailover.input(cluster.cluster(), deadMaster, newMaster, force, ignoreLastFailover),
                runtime, progress);
        LocalRun.forgetWorkDirectoryOnceFinished(store, run.stateDir, cluster.cluster());
        return LocalRun.exitCode("failover", result, notifier, spec.commandLine().getErr());
    }

    /**
     * The node agent run as a local process: it reaches the binlogs and relay logs of servers on this
     * machine; for remote hosts the AWS workflow runs it through SSM.
     */
    static NodeAgent localAgent(ClusterConfig cluster, Path stateDir) {
        Path work = LocalRun.workDirectory(stateDir, cluster.cluster());
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + work + " for the node agent", e);
        }
        return new LocalNodeAgent(cluster.credentials().user(), Connector.password(cluster.credentials()), work, Duration.ofMinutes(10));
    }

    /** Progress lines with the seconds since the start, as the demo prints them too. */
    public static Progress printer(PrintWriter out) {
        long t0 = System.nanoTime();
        return (phase, message) -> {
            out.printf("[%7.3f s] %-18s %s%n", (System.nanoTime() - t0) / 1e9, phase, message);
            out.flush();
        };
    }
}
