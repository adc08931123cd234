package io.mhaserverless.core.workflow;

/**
 * Another execution holds the cluster's failover lock. The execution that meets it ends at once,
 * without touching a server, the lock or the last-failover record. Its class name is the error
 * name statemachine/asl.json catches.
 */
public final class FailoverAlreadyRunning extends RuntimeException {

    public FailoverAlreadyRunning(String message) {
        super(message);
    }
}
