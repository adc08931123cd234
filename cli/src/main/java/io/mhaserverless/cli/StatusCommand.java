package io.mhaserverless.cli;

import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.core.port.StateStore.ProbeStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MHA's masterha_check_status: is the cluster watched, is its master alive, is a failover running.
 * Read from the records the prober keeps (the lease and its last sighting), so it answers the same
 * for {@code mha manager} (state directory) and the probe function (DynamoDB table). Exit codes
 * follow MHA's where MHA had one.
 */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {"Shows who watches a cluster, its master and last ping, and any running or last failover.",
                "Shows whether a cluster is watched and by whom, its master and the last ping, and any running or last failover."},
        exitCodeListHeading = "%nExit codes (MHA's masterha_check_status):%n",
        exitCodeList = {"0:watched, the master answers", "2:bad input", "3:no prober holds the lease (nothing watches the cluster)",
                "20:watched, pings are failing", "21:watched, the master is confirmed dead",
                "50:a failover is running", "51:the last failover failed and is not acknowledged"})
public final class StatusCommand implements Callable<Integer> {

    static final int NOT_RUNNING = 3;
    static final int PING_FAILING = 20;
    static final int PING_FAILED = 21;
    static final int FAILOVER_RUNNING = 50;
    static final int FAILOVER_ERROR = 51;

    @Option(names = "--cluster", paramLabel = "NAME", description = "the cluster")
    String cluster;

    @Option(names = "--config", paramLabel = "FILE", description = "the cluster's config (its name is read from it)")
    java.nio.file.Path config;

    @CommandLine.Mixin
    StoreOptions storeOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((cluster == null) == (config == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give one of --config or --cluster");
        }
        if (config != null) {
            cluster = io.mhaserverless.core.config.ConfigLoader.load(config).cluster();
        }
        StoreOptions.cluster(spec.commandLine(), "--cluster", cluster);
        StateStore store = storeOptions.open(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        Optional<ProbeStatus> probe = store.probeStatus(cluster);
        Optional<StateStore.Progress> running = store.progress(cluster);
        Optional<LastFailover> last = store.lastFailover(cluster);

        boolean watched = probe.isPresent() && probe.get().owner() != null && probe.get().leaseExpiresAt().isAfter(now);
        out.println("cluster:        " + cluster);
        if (probe.isEmpty()) {
            out.println("prober:         none has ever watched it (in " + store + ")");
        } else {
            ProbeStatus p = probe.get();
            out.println("prober:         " + (watched ? p.owner() + ", lease for " + seconds(Duration.between(now, p.leaseExpiresAt()))
                    : "none (the last lease ended " + seconds(Duration.between(p.leaseExpiresAt(), now)) + " ago)"));
            StateStore.ProbeSighting seen = p.seen();
            if (seen != null) {
                out.println("master:         " + (seen.master() == null ? "-" : seen.master()) + " (" + seen.state() + ")"
                        + (seen.aliveSince() == null || seen.aliveSince().equals(Instant.EPOCH) ? "" : ", alive since " + seen.aliveSince()));
                if (seen.lastPingAt() != null) {
                    out.println("last ping:      " + seen.lastPingAt() + " (" + seconds(Duration.between(seen.lastPingAt(), now)) + " ago), took "
                            + seen.lastPingMillis() + " ms");
                }
                if (seen.detail() != null && !seen.detail().isEmpty()) {
                    out.println("last verdict:   " + seen.detail());
                }
            }
        }
        running.ifPresent(r -> out.println("failover:       " + r.executionId() + " running, finished " + r.completedState() + " at " + r.at()));
        last.ifPresentOrElse(l -> out.println("last failover:  " + l.executionId() + " " + l.status().name().toLowerCase(Locale.ROOT)
                        + " at " + l.at() + (l.acknowledged() ? ", acknowledged" : "")),
                () -> out.println("last failover:  none"));

        if (running.isPresent()) {
            return FAILOVER_RUNNING;
        }
        if (last.isPresent() && last.get().status() == LastFailover.Status.ERROR && !last.get().acknowledged()) {
            return FAILOVER_ERROR;
        }
        if (!watched) {
            return NOT_RUNNING;
        }
        String state = probe.get().seen() == null ? "" : probe.get().seen().state();
        return switch (state) {
            case "suspect", "confirming", "grace" -> PING_FAILING;
            case "dead" -> PING_FAILED;
            case "failing-over" -> FAILOVER_RUNNING;
            default -> ExitCodes.OK;
        };
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", Math.max(0, d.toMillis()) / 1000.0);
    }
}
