package io.mhaserverless.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.FailoverRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The cluster's past failovers, newest first: what MHA's manager log and its .failover.complete files told. */
@Command(name = "history",
        mixinStandardHelpOptions = true,
        description = "Lists a cluster's failovers, newest first: when, how long, the outcome, the dead and the new master.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed (possibly none)", "1:the store failed", "2:bad input"})
public final class HistoryCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster")
    String cluster;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most this many (default: ${DEFAULT-VALUE})")
    int limit;

    @CommandLine.Mixin
    StoreOptions storeOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StoreOptions.cluster(spec.commandLine(), "--cluster", cluster);
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        StateStore store = storeOptions.open(spec.commandLine());
        List<FailoverRecord> records = store.history(cluster, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (records.isEmpty()) {
            out.println("No failover of " + cluster + " is recorded in " + store + ".");
            return ExitCodes.OK;
        }
        // "old master": the dead master of a failover, the master a switchover replaced, the server a rejoin brought back
        out.printf(Locale.ROOT, "%-24s  %8s  %-10s  %-9s  %-12s  %-12s  %s%n", "started", "took", "mode", "outcome", "old master",
                "new master", "execution");
        for (FailoverRecord r : records) {
            String took = r.endedAt() == null ? "-" : String.format(Locale.ROOT, "%.1f s",
                    Duration.between(r.startedAt(), r.endedAt()).toMillis() / 1000.0);
            out.printf(Locale.ROOT, "%-24s  %8s  %-10s  %-9s  %-12s  %-12s  %s%n", r.startedAt(), took, mode(r), r.outcome(),
                    r.deadMaster() == null ? "-" : r.deadMaster(), r.newMaster() == null ? "-" : r.newMaster(), r.executionId());
        }
        return ExitCodes.OK;
    }

    /** The report says which workflow ran; a record without one (an execution that ended before its report) was a failover. */
    private static String mode(FailoverRecord r) {
        if (r.reportJson() == null || r.reportJson().isBlank()) {
            return "failover";
        }
        try {
            return JSON.readTree(r.reportJson()).path("mode").asText("failover");
        } catch (IOException notJson) {
            return "?";
        }
    }
}
