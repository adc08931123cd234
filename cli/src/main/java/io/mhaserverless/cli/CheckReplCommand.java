package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.topology.Finding;
import io.mhaserverless.core.topology.HealthReport;
import io.mhaserverless.core.topology.ReplicationHealthCheck;
import io.mhaserverless.core.topology.Topology;
import io.mhaserverless.core.topology.TopologyDiscovery;
import io.mhaserverless.core.topology.TopologyTree;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MHA's masterha_check_repl: discover the topology, run the start-up checks, change nothing. */
@Command(name = "check-repl",
        mixinStandardHelpOptions = true,
        description = {"Checks that replication is healthy enough to fail over, and changes nothing.",
                "It checks: one master, every replica replicating from it, threads running, lag, log_bin, filters, read_only, GTID mode, errant GTIDs, dead servers (ignoreFail ones too, unless --ignore-fail-on-start), writable intermediate masters. Reads only; changes nothing on any server."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:replication is healthy (warnings may be printed)",
                "1:at least one check failed",
                "2:bad input: the config, or a server that refuses us"})
public final class CheckReplCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--seconds-behind-master", paramLabel = "N",
            description = "the lag a replica may have (default: the config's secondsBehindMaster, else 30)")
    Long secondsBehindMaster;

    @Option(names = "--ignore-fail-on-start",
            description = "a dead ignoreFail server is a warning, not a failed check (MHA's --ignore_fail_on_start)")
    boolean ignoreFailOnStart;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (secondsBehindMaster != null && secondsBehindMaster < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--seconds-behind-master must be 0 or more, was " + secondsBehindMaster);
        }
        PrintWriter out = spec.commandLine().getOut();
        HealthReport report = run(ConfigLoader.load(config), secondsBehindMaster, ignoreFailOnStart);
        out.println(TopologyTree.render(report.topology()));
        out.println();
        for (Finding f : report.findings()) {
            out.println(f);
        }
        if (report.healthy()) {
            out.println("Replication health is OK.");
            return ExitCodes.OK;
        }
        int errors = report.errors().size();
        out.println("Replication health is NOT OK: " + errors + (errors == 1 ? " check" : " checks") + " failed.");
        return ExitCodes.FAILED;
    }

    static HealthReport run(ClusterConfig cluster, Long secondsBehindMaster, boolean ignoreFailOnStart) {
        Topology topology = new TopologyDiscovery(Connector.forCluster(cluster)).discover(cluster);
        long lag = secondsBehindMaster != null ? secondsBehindMaster : cluster.secondsBehindMaster();
        return new ReplicationHealthCheck(lag, ignoreFailOnStart).check(topology);
    }
}
