package io.mhaserverless.cli;

import io.mhaserverless.core.port.StateStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MHA's "remove the .failover.error file": an operator has looked at a failed (or recent) failover
 * and lets the next one run. On AWS the record is the cluster's row in the DynamoDB table; locally
 * it is the state directory of {@code mha failover} and {@code mha demo}.
 */
@Command(name = "ack",
        mixinStandardHelpOptions = true,
        description = {"Acknowledges a cluster's last failover, so that the next automatic failover is not refused.",
                "A failed failover blocks the next one until acknowledged; a completed one blocks it for lastFailoverMinutes."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:acknowledged", "1:the cluster has no failover to acknowledge, or the store failed", "2:bad input"})
public final class AckCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster")
    String cluster;

    @Option(names = "--operator", paramLabel = "NAME", defaultValue = "${sys:user.name}",
            description = "who acknowledges, for the record (default: ${DEFAULT-VALUE})")
    String operator;

    @CommandLine.Mixin
    StoreOptions store;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StoreOptions.cluster(spec.commandLine(), "--cluster", cluster);
        StateStore store = this.store.open(spec.commandLine());
        var last = store.lastFailover(cluster);
        PrintWriter out = spec.commandLine().getOut();
        if (last.isEmpty()) {
            spec.commandLine().getErr().println("mha ack: cluster " + cluster + " has no failover to acknowledge in " + store);
            return 1;
        }
        store.acknowledge(cluster, operator);
        out.println("Acknowledged the last failover of " + cluster + " (" + last.get().status().name().toLowerCase(java.util.Locale.ROOT)
                + ", " + last.get().executionId() + " at " + last.get().at() + "): the next failover may run.");
        return 0;
    }
}
