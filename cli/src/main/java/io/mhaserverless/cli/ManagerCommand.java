package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.probe.ClusterWatch;
import io.mhaserverless.core.topology.HealthReport;
import io.mhaserverless.core.probe.ProbeLog;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.LocalWorkflowStarter;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MHA's masterha_manager, without its one weakness: it does not exit after a failover. Runs the
 * probe's code ({@link ClusterWatch}) against the cluster until stopped (SIGTERM or Ctrl-C, MHA's
 * masterha_stop), fails a dead master over through the one path (asl.json in this process), and
 * watches the new master. Its lease lives in the state directory: two managers of one cluster
 * never both act; the second stands by and takes over when the first stops.
 */
@Command(name = "manager",
        mixinStandardHelpOptions = true,
        description = {"Watches a cluster and fails its master over when it dies, then keeps watching the new master.",
                "Pings every pingInterval; after pingFailures failures asks the replicas (one still connected vetoes), then the node agents on their hosts when secondaryCheck is on, then waits deadMasterGrace. Runs until stopped with SIGTERM or Ctrl-C. One line per probe step on stdout (--log-format json for machines)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by a signal", "1:replication is not healthy at start (see mha check-repl)",
                "2:bad input: usage or config"})
public final class ManagerCommand implements Callable<Integer> {

    enum LogFormat { text, json }

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "the lease, the failover lock, the last failover and the history (default: ~/.mha/state)")
    Path stateDir;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    LogFormat logFormat;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "a failover's limit of each wait for a replica to apply or catch up (default: ${DEFAULT-VALUE})")
    long waitTimeoutSeconds;

    @Option(names = "--report-json", paramLabel = "FILE", description = "also write each failover's report as JSON to this file")
    Path reportJson;

    @Option(names = "--ignore-fail-on-start",
            description = "start even though an ignoreFail server is dead (MHA's --ignore_fail_on_start)")
    boolean ignoreFailOnStart;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (waitTimeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait-timeout must be at least 1, was " + waitTimeoutSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig cluster = ConfigLoader.load(config);
        LocalRun.noteWriterIp(out, cluster);
        if (!healthyToWatch(cluster, out)) {
            return ExitCodes.FAILED;
        }
        Clock clock = Clock.systemUTC();
        FileStateStore store = LocalRun.store(stateDir);
        NodeAgent agent = FailoverCommand.localAgent(cluster, stateDir);
        Progress progress = FailoverCommand.printer(out);
        ConsoleNotifier notifier = new ConsoleNotifier(out, Optional.ofNullable(reportJson));
        LocalWorkflowRuntime runtime = LocalRun.runtime(cluster, config, agent, store, notifier, progress, waitTimeoutSeconds)
                .withMetrics(new io.mhaserverless.local.ConsoleFigures(line -> {
                    out.println(line);
                    out.flush();
                }));
        LocalWorkflowStarter starter = new LocalWorkflowStarter(LocalFailover.bundled(), runtime, progress,
                r -> {
                    out.println("Failover " + r.execution().arn() + " ended: " + r.outcome().label()
                            + (r.newMaster() == null ? "" : ", new master " + r.newMaster()) + ". Still watching.");
                    LocalRun.forgetWorkDirectoryOnceFinished(store, stateDir, cluster.cluster());
                });
        ProbeLog log = step -> {
            out.println(logFormat == LogFormat.json ? step.toJson() : step.toText());
            out.flush();
        };
        ClusterWatch watch = new ClusterWatch(() -> ConfigLoader.load(config), store, starter, agent, log, clock, owner());

        CountDownLatch done = new CountDownLatch(1);
        Thread worker = Thread.currentThread();
        Thread stopper = new Thread(() -> {
            worker.interrupt(); // pings end within pingInterval; the lease is released on the way out
            try {
                if (done.await(30, TimeUnit.SECONDS)) {
                    // Stopped as asked (masterha_stop): a clean exit, not the signal's 143. The main thread
                    // cannot exit itself: System.exit blocks once the JVM is shutting down.
                    Runtime.getRuntime().halt(ExitCodes.OK);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mha-manager-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.println("Watching " + cluster.cluster() + " as " + owner() + " (state in " + store + "); stop with Ctrl-C or SIGTERM.");
        out.flush();
        try {
            watch.watch(Instant.MAX);
        } finally {
            out.println("Stopped watching " + cluster.cluster() + ".");
            out.flush();
            done.countDown();
        }
        return ExitCodes.OK;
    }

    /**
     * MHA's manager checks replication before it watches, so that a failover never meets a topology
     * that was broken from the start. A master that is already dead is the watch's business, not a
     * reason to refuse: the manager is how it gets failed over.
     */
    private boolean healthyToWatch(ClusterConfig cluster, PrintWriter out) {
        HealthReport report = CheckReplCommand.run(cluster, null, ignoreFailOnStart);
        boolean masterDead = report.topology().master().server().map(m -> !m.alive()).orElse(false);
        if (report.healthy() || masterDead) {
            return true;
        }
        out.println("Not watching " + cluster.cluster() + ": replication is not healthy (mha check-repl says the same):");
        report.errors().forEach(out::println);
        out.flush();
        return false;
    }

    /** The lease's owner: this host and process, as {@code mha status} shows it. */
    static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "manager@" + host + "." + ProcessHandle.current().pid();
    }
}
