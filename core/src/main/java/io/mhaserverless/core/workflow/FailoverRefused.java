package io.mhaserverless.core.workflow;

/**
 * The last-failover guard said no (MHA's {@code .failover.complete} / {@code .failover.error}
 * files): a failover ran too recently, or the last one failed and no operator has acknowledged it.
 * Nothing was touched.
 */
public final class FailoverRefused extends RuntimeException {

    public FailoverRefused(String message) {
        super(message);
    }
}
