package io.mhaserverless.cli;

import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every command that runs the workflow here shares (failover, switchover, rejoin), and
 * the one way they become a local runtime: the same flags mean the same thing in each.
 */
final class LocalRunOptions {

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "limit of each wait for a server to apply, catch up or answer (default: ${DEFAULT-VALUE})")
    long waitTimeoutSeconds;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where the lock, the last failover, the progress and the history are kept (default: ~/.mha/state)")
    Path stateDir;

    @Option(names = "--report-json", paramLabel = "FILE", description = "also write the report as JSON to this file")
    Path reportJson;

    /** Refuses a wait timeout below one second, naming the flag, before anything is read or changed. */
    void validate(CommandLine commandLine) {
        if (waitTimeoutSeconds < 1) {
            throw new CommandLine.ParameterException(commandLine, "--wait-timeout must be at least 1, was " + waitTimeoutSeconds);
        }
    }

    FileStateStore store() {
        return LocalRun.store(stateDir);
    }

    /** The console notifier (and the JSON file, when asked for). */
    ConsoleNotifier notifier(PrintWriter out) {
        return new ConsoleNotifier(out, Optional.ofNullable(reportJson));
    }

    LocalWorkflowRuntime runtime(ClusterConfig cluster, Path config, NodeAgent agent, FileStateStore store, ConsoleNotifier notifier,
                                 Progress progress) {
        return LocalRun.runtime(cluster, config, agent, store, notifier, progress, waitTimeoutSeconds);
    }
}
