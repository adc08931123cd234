package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.WriterIpConfig;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import java.io.PrintWriter;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code mha failover}, {@code mha switchover} and {@code mha manager} run on: the local
 * runtime over the config file (re-read by every step), the state directory, the console.
 */
final class LocalRun {

    private LocalRun() {
    }

    static FileStateStore store(Path stateDir) {
        return new FileStateStore(stateDir(stateDir), Clock.systemUTC());
    }

    private static Path stateDir(Path given) {
        return given != null ? given : FileStateStore.defaultDirectory();
    }

    /**
     * Where the node agent of a failover keeps its files, the dead master's saved binlog among them:
     * {@code <state-dir>/<cluster>.work/}, kept while the failover has progress to resume (a resumed
     * one applies that binlog to the replicas still behind), deleted once it is finished.
     */
    static Path workDirectory(Path stateDir, String cluster) {
        return stateDir(stateDir).resolve(cluster + ".work");
    }

    /** The work directory goes once no progress is left to finish; temporary files of killed runs go too. */
    static void forgetWorkDirectoryOnceFinished(FileStateStore store, Path stateDir, String cluster) {
        OwnedTempFiles.sweep(OwnedTempFiles.defaultDirectory());
        OwnedTempFiles.sweep(OwnedTempFiles.secretDirectory());
        if (store.progress(cluster).isPresent()) {
            return;
        }
        try {
            OwnedTempFiles.deleteTree(workDirectory(stateDir, cluster));
        } catch (IOException e) {
            // left for the next run: it is no secret, and a finished failover does not fail on it
        }
    }

    static LocalWorkflowRuntime runtime(ClusterConfig cluster, Path config, NodeAgent agent, FileStateStore store,
                                        ConsoleNotifier notifier, Progress progress, long waitTimeoutSeconds) {
        return new LocalWorkflowRuntime(cluster.cluster(), () -> ConfigLoader.load(config), WriterIp.NONE, agent, store,
                CliTerms.notifier(notifier), progress, Clock.systemUTC(), Duration.ofSeconds(waitTimeoutSeconds));
    }

    /**
     * How a local execution ends for the operator: its report, when one went out, already said
     * everything; otherwise (refused at the input, already running) the reason goes to stderr.
     */
    static int exitCode(String command, LocalFailover.Result result, ConsoleNotifier notifier, PrintWriter err) {
        if (notifier.published().isEmpty()) {
            err.println("mha " + command + ": " + result.error() + ": " + CliTerms.of(LocalFailover.message(result.cause())));
        }
        return result.exitCode();
    }

    /** Locally nothing moves the writer IP: an operator who configured one must hear that clients follow by themselves. */
    static void noteWriterIp(PrintWriter out, ClusterConfig cluster) {
        if (cluster.writerIp().mode() != WriterIpConfig.Mode.NONE) {
            out.println("Note: writerIp mode " + cluster.writerIp().mode().name().toLowerCase(Locale.ROOT)
                    + " is moved by the AWS workflow or the local demo, not by this command; clients must follow the new master.");
        }
    }
}
