package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The old master's way back: it becomes a replica of the current master, unless it holds what that master lacks. */
@Command(name = "rejoin",
        mixinStandardHelpOptions = true,
        description = {"Makes a server that lost the master role a read-only replica of the current master.",
                "The server is a failed-over master that came back, or a switchover's old master. Runs the rejoin branch",
                "of statemachine/asl.json (bundled) in this process. Refuses, changing nothing and naming them, when the server holds transactions",
                "the master lacks: by GTID its executed set is compared per domain / server uuid; by file and position its",
                "binlog after the position the recorded failover took its transactions over up to."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the server replicates from the current master, read-only",
                "1:refused (it holds transactions the master lacks, or no master / no record to compare with; nothing was"
                        + " changed), or failed: the report says which",
                "2:bad input: usage or config"})
public final class RejoinCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "the server coming back (the old master)")
    String server;

    @Option(names = "--ignore-last-failover", description = "rejoin even though the last failover failed and nobody acknowledged it")
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
        if (cluster.server(server).isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server " + server + ": no such server in " + config
                    + " (servers: " + String.join(", ", cluster.servers().stream().map(s -> s.name()).toList()) + ")");
        }
        Progress progress = FailoverCommand.printer(out);
        ConsoleNotifier notifier = run.notifier(out);
        LocalWorkflowRuntime runtime = run.runtime(cluster, config, NodeAgent.NONE, run.store(), notifier, progress);
        LocalFailover.Result result = LocalFailover.bundled().run(LocalFailover.rejoinInput(cluster.cluster(), server,
                ignoreLastFailover), runtime, progress);
        return LocalRun.exitCode("rejoin", result, notifier, spec.commandLine().getErr());
    }
}
