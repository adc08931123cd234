package io.mhaserverless.core.workflow;

import io.mhaserverless.core.port.StateStore.LastFailover;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * MHA's guard against failover loops: after a failover the cluster is in a state a DBA should look
 * at, so the next automatic one waits. A failed failover blocks until an operator acknowledges it
 * (MHA: remove {@code <app>.failover.error}); a completed one blocks for lastFailoverMinutes (MHA:
 * {@code <app>.failover.complete}, 480 minutes). {@code ignoreLastFailover} overrides both.
 */
final class LastFailoverGuard {

    private LastFailoverGuard() {
    }

    static void check(Optional<LastFailover> last, String execution, long lastFailoverMinutes, boolean ignore, Instant now) {
        if (ignore || last.isEmpty() || last.get().executionId().equals(execution)) {
            return; // a retried first state meets its own record, if any
        }
        LastFailover l = last.get();
        if (l.acknowledged()) {
            return; // an operator has looked at it and said go
        }
        if (l.status() == LastFailover.Status.ERROR) {
            throw new FailoverRefused("the last failover of " + l.cluster() + " failed (" + l.executionId() + " at " + l.at()
                    + ") and no operator has acknowledged it: check the servers, then run `mha ack --cluster " + l.cluster()
                    + "`, or start the execution with ignoreLastFailover=true");
        }
        Duration since = Duration.between(l.at(), now);
        if (l.status() == LastFailover.Status.COMPLETED && since.toMinutes() < lastFailoverMinutes) {
            throw new FailoverRefused("the last failover of " + l.cluster() + " completed " + since.toMinutes()
                    + " minutes ago (" + l.executionId() + "), less than lastFailoverMinutes=" + lastFailoverMinutes
                    + ": start the execution with ignoreLastFailover=true to fail over again");
        }
    }

    /**
     * A planned switchover ignores the time window (switching back after a failover is routine), but
     * not a failed failover nobody has looked at: that cluster needs a DBA, not another move.
     */
    static void checkBeforeSwitchover(Optional<LastFailover> last, String execution, boolean ignore) {
        checkBefore("switchover", last, execution, ignore);
    }

    /** The same for {@code what} (a switchover, a rejoin): the refusal names it. */
    static void checkBefore(String what, Optional<LastFailover> last, String execution, boolean ignore) {
        if (ignore || last.isEmpty() || last.get().executionId().equals(execution) || last.get().acknowledged()) {
            return;
        }
        LastFailover l = last.get();
        if (l.status() == LastFailover.Status.ERROR) {
            throw new FailoverRefused("the last failover of " + l.cluster() + " failed (" + l.executionId() + " at " + l.at()
                    + ") and no operator has acknowledged it: check the servers, then run `mha ack --cluster " + l.cluster()
                    + "`, or start the " + what + " with ignoreLastFailover=true");
        }
    }
}
