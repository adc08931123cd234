package io.mhaserverless.core.failover;

/**
 * A failover that must stop. The message says why, naming the server and the rule; the report
 * of a stopped failover says which phases had already acted, so nothing half-done goes unnamed.
 */
public class FailoverException extends RuntimeException {
    public FailoverException(String message) {
        super(message);
    }

    public FailoverException(String message, Throwable cause) {
        super(message, cause);
    }
}
