package io.mhaserverless.core.failover;

import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits until a replica's SQL thread has applied everything its IO thread received — the rule
 * that a replica is promoted (or used as a source) only after its relay log is fully applied.
 * Done when the executed position reaches the received one, or when the SQL thread reports it has
 * read all of its relay log and stops moving (the relay log may end in a transaction the dead
 * master never finished sending, which nobody can apply), or when the SQL thread is stopped:
 * FenceDeadMaster started every SQL thread it found stopped, so one stopped now was stopped by the
 * failover itself (a re-run of a phase) and must stay so — restarting it would replay a relay log
 * whose transactions were already applied another way.
 */
final class ApplyRelayLog {

    private static final long POLL_MILLIS = 20;
    /** Polls the executed position must stand still, idle, before the tail counts as unapplicable. */
    private static final int STABLE_POLLS = 5;

    private ApplyRelayLog() {
    }

    static void await(ServerSession session, Duration timeout, Clock clock) throws SQLException {
        long deadline = clock.millis() + timeout.toMillis();
        BinlogCoordinates lastExecuted = null;
        int stable = 0;
        while (true) {
            Optional<ReplicaStatus> status = session.replicaStatus();
            if (status.isEmpty()) {
                return; // no longer a replica: promoted and reset by an earlier run
            }
            ReplicaStatus r = status.get();
            if (!r.sqlThreadRunning() && r.lastSqlErrno() != 0) {
                throw new FailoverException(session.server().label() + ": the SQL thread stopped with error "
                        + r.lastSqlErrno() + ": " + r.lastSqlError());
            }
            if (r.executed().equals(r.received())) {
                return;
            }
            if (!r.sqlThreadRunning()) {
                return;
            }
            boolean idle = r.sqlThreadState().contains("read all relay log");
            stable = idle && r.executed().equals(lastExecuted) ? stable + 1 : 0;
            if (stable >= STABLE_POLLS) {
                return;
            }
            lastExecuted = r.executed();
            if (clock.millis() > deadline) {
                throw new FailoverException(session.server().label() + ": the SQL thread did not apply its relay log within "
                        + timeout.toSeconds() + " s (executed " + r.executed() + ", received " + r.received() + ")");
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailoverException("interrupted while waiting for a replica", e);
        }
    }
}
