package io.mhaserverless.core.failover;

import io.mhaserverless.core.mysql.ServerUnreachableException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/**
 * A phase stopped on a failure of the connection, not of the failover: a timeout, a reset, a
 * server that did not answer for a moment. Every phase is safe to run twice, so the state machine
 * retries it (asl.json's Retry names this class) instead of recording "failover error", which
 * would block the next failover until an operator acknowledges it.
 */
public final class TransientFailure extends RuntimeException {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The phase's exception as a transient failure, if a connection-level failure caused it. */
    static Optional<TransientFailure> of(PhaseName phase, RuntimeException e) {
        return causedBy(e);
    }

    /** The exception as a transient failure, if a connection-level failure caused it: any step's rule. */
    public static Optional<TransientFailure> causedBy(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isTransient(t)) {
                return Optional.of(new TransientFailure(e.getMessage(), e));
            }
        }
        return Optional.empty();
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof ServerUnreachableException || t instanceof SocketTimeoutException
                || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        // SQLSTATE class 08: connection exception (JDBC drivers report a lost or timed-out link so)
        return t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }
}
