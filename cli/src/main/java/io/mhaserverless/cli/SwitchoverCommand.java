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

/** MHA's {@code masterha_master_switch --master_state=alive}: a planned switchover of a live master. */
@Command(name = "switchover",
        mixinStandardHelpOptions = true,
        description = {"Moves the master role from the live master to a replica, a planned switchover.",
                "Moves the master role from the live master to a replica by running the switchover branch of statemachine/asl.json (bundled) in this process, the same states Step Functions runs: checks that every server is alive and replicating within --running-updates-limit and that no statement on the master runs longer; blocks writes on the old master (read_only, open transactions ended), lets the new master catch up, makes it writable, repoints the other replicas, and prints the report with how long writes were blocked. Refuses, changing nothing, when a check fails; a failure before the new master takes writes is rolled back."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the new master takes writes and every replica follows it",
                "10:the new master takes writes, but some replica could not be repointed (see the report)",
                "1:refused (a check failed; nothing was changed), rolled back, or stopped: the report says which",
                "2:bad input: usage or config"})
public final class SwitchoverCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--new-master", paramLabel = "NAME",
            description = "the replica to promote (default: MHA's selection rules, candidateMaster first)")
    String newMaster;

    @Option(names = "--orig-master-is-new-slave", description = "the old master replicates from the new one afterwards")
    boolean origMasterIsNewSlave;

    @Option(names = "--running-updates-limit", paramLabel = "SECONDS", defaultValue = "1",
            description = "the most replica lag, and the longest statement running on the master, that the switch accepts"
                    + " (default: ${DEFAULT-VALUE})")
    long runningUpdatesLimit;

    @Option(names = "--force-with-possible-data-loss", description = "promote a new master that has errant transactions")
    boolean force;

    @Option(names = "--ignore-last-failover", description = "switch even though the last failover failed and nobody acknowledged it")
    boolean ignoreLastFailover;

    @CommandLine.Mixin
    LocalRunOptions run = new LocalRunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        run.validate(spec.commandLine());
        if (runningUpdatesLimit < 0 || runningUpdatesLimit > 3600) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--running-updates-limit must be 0 to 3600 seconds, was " + runningUpdatesLimit);
        }
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig cluster = ConfigLoader.load(config);
        LocalRun.noteWriterIp(out, cluster);
        Progress progress = FailoverCommand.printer(out);
        ConsoleNotifier notifier = run.notifier(out);
        LocalWorkflowRuntime runtime = run.runtime(cluster, config, NodeAgent.NONE, run.store(), notifier, progress);
        var input = LocalFailover.switchoverInput(cluster.cluster(), newMaster, origMasterIsNewSlave, runningUpdatesLimit, force);
        if (ignoreLastFailover) {
            input.put("ignoreLastFailover", true);
        }
        LocalFailover.Result result = LocalFailover.bundled().run(input, runtime, progress);
        return LocalRun.exitCode("switchover", result, notifier, spec.commandLine().getErr());
    }
}
