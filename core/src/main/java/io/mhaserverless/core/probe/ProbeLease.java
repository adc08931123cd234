package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.ProbeSighting;
import io.mhaserverless.core.port.StateStore.ProbeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One prober's hold on a cluster's probe lease, and the sighting saved with it. Renewed at most
 * every third of its period, or at once on news (a new master, a new state), because on DynamoDB
 * every renewal is a paid write; and a successor stands by reading, never writing, until the lease
 * looks free.
 */
final class ProbeLease {

    private final StateStore store;
    private final ClusterConfig config;
    private final String owner;
    private final Duration period;
    private final Clock clock;
    private final ProbeLog log;
    private ProbeSighting seen = new ProbeSighting(null, "starting", null, null, 0, "");
    private boolean held;
    private boolean news;
    private Instant renewedAt = Instant.EPOCH;

    ProbeLease(StateStore store, ClusterConfig config, String owner, Duration period, Clock clock, ProbeLog log) {
        this.store = store;
        this.config = config;
        this.owner = owner;
        this.period = period;
        this.clock = clock;
        this.log = log;
    }

    /** The same hold under an operator's edited config (its ping interval sets the period). */
    ProbeLease with(ClusterConfig newer, Duration newPeriod) {
        ProbeLease l = new ProbeLease(store, newer, owner, newPeriod, clock, log);
        l.seen = seen;
        l.held = held;
        l.renewedAt = renewedAt;
        return l;
    }

    ProbeSighting seen() {
        return seen;
    }

    /**
     * Takes the lease, or stands by until its holder lets it go or it expires; false at
     * {@code until}. Standing by reads (cheap, and a failed conditional write costs as much as one
     * that succeeds); it writes only when the lease looks free.
     */
    boolean awaitHeld(Instant until) {
        boolean announced = false;
        while (clock.instant().isBefore(until)) {
            if (looksFree() && take()) {
                if (announced) {
                    step("held", owner + " took over");
                }
                return true;
            }
            if (!announced) {
                String holder = store.probeStatus(config.cluster()).map(ProbeStatus::owner).orElse("?");
                step("standby", "held by " + holder + "; " + owner + " stands by");
                announced = true;
            }
            // Short polls: the hand-over from a predecessor that releases at its end leaves no gap in pinging.
            Duration poll = config.pingInterval().dividedBy(4);
            sleep(poll.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : poll);
        }
        return false;
    }

    private boolean looksFree() {
        return held || store.probeStatus(config.cluster())
                .map(p -> p.owner() == null || p.owner().equals(owner) || !p.leaseExpiresAt().isAfter(clock.instant()))
                .orElse(true);
    }

    void seen(ProbeSighting sighting) {
        news = news || !sighting.state().equals(seen.state()) || !Objects.equals(sighting.master(), seen.master());
        seen = sighting;
    }

    /** Renews when due; false when the lease was lost (another prober holds it now). */
    boolean renew() {
        if (held && !news && clock.instant().isBefore(renewedAt.plus(period.dividedBy(3)))) {
            return true;
        }
        boolean wasHeld = held;
        if (!take() && wasHeld) {
            step("lost", "another prober holds the lease of " + config.cluster());
        }
        return held;
    }

    private boolean take() {
        held = store.holdProbeLease(config.cluster(), owner, period, seen);
        if (held) {
            renewedAt = clock.instant();
            news = false;
        }
        return held;
    }

    void release() {
        if (held) {
            store.releaseProbeLease(config.cluster(), owner);
            held = false;
            step("released", owner + " let it go");
        }
    }

    private void step(String verdict, String detail) {
        log.step(new ProbeStep(clock.instant(), config.cluster(), seen.master(), "lease", verdict, detail));
    }

    /** A probe's sleep: an interrupt means the watch is being stopped. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MasterProbe.ProbeInterrupted();
        }
    }
}
