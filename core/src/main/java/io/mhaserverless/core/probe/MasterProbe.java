package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.port.NodeAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides that the master is dead, as MHA's HealthCheck::wait_until_unreachable does and more
 * carefully: {@code pingFailures} failed pings in a row (an error reply is alive); then the
 * replicas are asked (one still connected vetoes); then, when {@code secondaryCheck} is on, the
 * node agents on the replicas' hosts try the master over their own network paths (one that reaches
 * it vetoes); then {@code deadMasterGrace} passes with the master still silent (one answer
 * cancels). A veto starts the count again. Every step and its verdict goes to the {@link ProbeLog}.
 */
public final class MasterProbe {

    /**
     * How a death was established: when, after how many pings, what confirmed it, and the master's
     * binlog position at its last answer (file:pos; null if never read), which bounds what may be
     * lost if its binlog cannot be saved.
     */
    public record Detection(long detectedAtMillis, int failedPings, String confirmation, String lastSeenBinlog) {
    }

    /**
     * What the loop reports after each ping, so its caller can renew a lease, show a status, or stop.
     *
     * @param state {@code alive}, {@code suspect} (pings failing), {@code confirming} (asking others) or {@code grace}
     */
    public record Sighting(Instant at, String state, long pingMillis, String detail, int failures) {
    }

    /** Told of every ping; answers whether to go on watching. */
    @FunctionalInterface
    public interface Watcher {
        boolean keepWatching(Sighting sighting);
    }

    private final ClusterConfig config;
    private final Clock clock;
    private final ReplicaView replicaView;
    private final SecondaryCheck secondaryCheck;
    private final ProbeLog log;

    public MasterProbe(ClusterConfig config, Clock clock) {
        this(config, clock, NodeAgent.NONE, ProbeLog.NONE);
    }

    public MasterProbe(ClusterConfig config, Clock clock, NodeAgent agent, ProbeLog log) {
        this.config = config;
        this.clock = clock;
        // The replicas are the second opinion: asked with the cluster's ordinary timeouts, not the ping's.
        this.replicaView = new ReplicaView(Connector.forCluster(config));
        this.secondaryCheck = new SecondaryCheck(agent);
        this.log = log;
    }

    /** Pings until the master is confirmed dead, or gives up after {@code maxWait} (then empty: alive). */
    public Optional<Detection> awaitDeath(ServerConfig master, List<ServerConfig> replicas, Duration maxWait) {
        Instant until = clock.instant().plus(maxWait);
        return awaitDeath(master, replicas, s -> clock.instant().isBefore(until));
    }

    /** Pings until the master is confirmed dead (the detection) or {@code watcher} says stop (empty). */
    public Optional<Detection> awaitDeath(ServerConfig master, List<ServerConfig> replicas, Watcher watcher) {
        try (Ping ping = new Ping(config, clock)) {
            return new Loop(master, replicas, watcher, ping).run();
        }
    }

    /** One watch of one master: the count of failures and what was last seen of it. */
    private final class Loop {
        private final ServerConfig master;
        private final List<ServerConfig> replicas;
        private final Watcher watcher;
        private final Ping ping;
        private int failures;
        private String lastSeenBinlog;
        private OptionalLong serverId = OptionalLong.empty();
        private boolean refusing;
        /** The replicas' readings from the first failed ping of this run of failures, taken in the background. */
        private CompletableFuture<Map<String, ReplicaView.Reading>> heardAtFirstFailure;

        Loop(ServerConfig master, List<ServerConfig> replicas, Watcher watcher, Ping ping) {
            this.master = master;
            this.replicas = replicas;
            this.watcher = watcher;
            this.ping = ping;
        }

        Optional<Detection> run() {
            while (true) {
                long started = clock.millis();
                Ping.Result result = pingOnce();
                String state = failures == 0 ? "alive" : failures < config.pingFailures() ? "suspect" : "confirming";
                if (!watcher.keepWatching(new Sighting(clock.instant(), state, result.millis(), result.detail(), failures))) {
                    return Optional.empty();
                }
                if (failures >= config.pingFailures()) {
                    Optional<Detection> dead = confirm();
                    if (dead.isPresent() || stopped()) {
                        return dead;
                    }
                    failures = 0;
                }
                sleepUntil(started + config.pingInterval().toMillis());
            }
        }

        private boolean stopped;

        private boolean stopped() {
            return stopped;
        }

        private Ping.Result pingOnce() {
            Ping.Result result = ping.ping(master);
            if (result.answered()) {
                if (failures > 0) {
                    step("ping", "alive", "answered again after " + failures + " failed ping(s)");
                }
                if (result.outcome() == Ping.Outcome.REFUSED && !refusing) {
                    // Alive but unwilling (1040, 1045, ...): never a failover, but an operator must know.
                    step("ping", "refused", "the master answers with an error, so it is alive: " + result.detail());
                }
                refusing = result.outcome() == Ping.Outcome.REFUSED;
                failures = 0;
                heardAtFirstFailure = null;
                lastSeenBinlog = result.binlog().orElse(lastSeenBinlog);
                if (result.serverId().isPresent()) {
                    serverId = result.serverId();
                }
            } else {
                failures++;
                if (failures == 1) {
                    heardAtFirstFailure = CompletableFuture.supplyAsync(() -> replicaView.listen(replicas));
                }
                step("ping", "failed", failures + "/" + config.pingFailures() + ": " + result.detail());
            }
            return result;
        }

        /** The other viewpoints, then the grace window; empty (after logging why) when the master is kept. */
        private Optional<Detection> confirm() {
            int failedPings = failures;
            Map<String, ReplicaView.Reading> earlier = heardAtFirstFailure == null ? Map.of()
                    : heardAtFirstFailure.exceptionally(e -> Map.of()).join();
            heardAtFirstFailure = null; // a veto starts the count, and the silence, again
            ReplicaView.Verdict replicaVerdict = replicaView.ask(master, serverId, replicas, earlier);
            if (!replicaVerdict.confirmsDeath()) {
                step("replicas", "veto", replicaVerdict.summary());
                return Optional.empty();
            }
            step("replicas", "confirmed", replicaVerdict.summary());
            String confirmation = "no replica is connected to " + master.label() + " (" + replicaVerdict.summary() + ")";
            if (config.secondaryCheck()) {
                SecondaryCheck.Verdict secondary = secondaryCheck.check(master, replicas);
                if (!secondary.confirmsDeath()) {
                    step("secondary-check", "veto", secondary.summary());
                    return Optional.empty();
                }
                step("secondary-check", "confirmed", secondary.summary());
                confirmation += "; secondary check: " + secondary.summary();
            }
            if (!config.deadMasterGrace().isZero() && !graceWindowPasses()) {
                return Optional.empty();
            }
            step("verdict", "dead", failedPings + " failed pings; " + confirmation);
            return Optional.of(new Detection(clock.millis(), failedPings, confirmation, lastSeenBinlog));
        }

        /** Keeps pinging through deadMasterGrace: a master that answers within it (a restart, a stall) is kept. */
        private boolean graceWindowPasses() {
            long end = clock.millis() + config.deadMasterGrace().toMillis();
            step("grace", "waiting", config.deadMasterGrace().toMillis() + " ms for " + master.label() + " to answer");
            while (clock.millis() < end) {
                long started = clock.millis();
                Ping.Result result = ping.ping(master);
                if (!watcher.keepWatching(new Sighting(clock.instant(), "grace", result.millis(), result.detail(), failures))) {
                    stopped = true;
                    return false;
                }
                if (result.answered()) {
                    step("grace", "cancelled", master.label() + " answered within the grace window");
                    return false;
                }
                sleepUntil(Math.min(end, started + config.pingInterval().toMillis()));
            }
            step("grace", "passed", "no answer for " + config.deadMasterGrace().toMillis() + " ms");
            return true;
        }

        private void step(String step, String verdict, String detail) {
            log.step(new ProbeStep(clock.instant(), config.cluster(), master.name(), step, verdict, detail));
        }
    }

    private void sleepUntil(long millis) {
        long wait = millis - clock.millis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProbeInterrupted();
            }
        }
    }

    /** The probe's thread was interrupted (SIGTERM of {@code mha manager}, the end of an invocation). */
    public static final class ProbeInterrupted extends RuntimeException {
        ProbeInterrupted() {
            super("the probe was interrupted");
        }
    }
}
