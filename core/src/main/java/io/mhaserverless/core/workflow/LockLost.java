package io.mhaserverless.core.workflow;

/**
 * This execution no longer holds its cluster's failover lock: it ran past the lock's lifetime and
 * another execution took the lock. The step stops before touching a server; the state machine
 * reports the failover as failed, so an operator looks before anything else runs.
 */
public final class LockLost extends RuntimeException {

    public LockLost(String message) {
        super(message);
    }
}
