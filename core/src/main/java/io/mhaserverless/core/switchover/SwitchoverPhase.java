package io.mhaserverless.core.switchover;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.TransientFailure;

/**
 * One Task step of a switchover: a function of the state it is given and the servers as they are
 * now, safe to run twice, every wait bounded. The same context (config, ports, clock) as a
 * failover's phases.
 */
public interface SwitchoverPhase {

    SwitchoverStep name();

    SwitchoverState apply(SwitchoverState state, FailoverContext context);

    /**
     * Whether the state machine may run the step again by itself after a lost connection. Not the
     * write block: it rolls back what it did and says so instead, so an operator decides.
     */
    default boolean retrySafe() {
        return true;
    }

    /** Applies the step and records when it ran; a connection-level failure leaves as a {@link TransientFailure}. */
    default SwitchoverState run(SwitchoverState state, FailoverContext context) {
        long started = context.clock().millis();
        SwitchoverState next;
        try {
            next = apply(state, context);
        } catch (TransientFailure | SwitchoverRolledBack e) {
            throw e;
        } catch (RuntimeException e) {
            if (!retrySafe()) {
                throw e;
            }
            throw TransientFailure.causedBy(e).orElseThrow(() -> e);
        }
        return next.withPhase(new PhaseRecord(name().stateName(), started, context.clock().millis() - started, ""));
    }
}
