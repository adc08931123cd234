package io.mhaserverless.core.failover;

/**
 * One step of a failover (ARCHITECTURE.md §1). Each is a function of the state it is given and the
 * servers as they are now, safe to run twice: a second run finds the work done and returns the
 * same state. Every wait inside has a timeout.
 */
public interface Phase {

    PhaseName name();

    FailoverState apply(FailoverState state, FailoverContext context);

    /**
     * Whether a second run after a lost connection cannot write twice, so the state machine may
     * retry it by itself. True for phases that only read or set a state; a phase that applies
     * transactions says when its target's GTIDs protect it.
     */
    default boolean retrySafe(FailoverState state) {
        return true;
    }

    /**
     * Applies the phase and records when it ran, by the context's clock. A connection-level failure
     * leaves as a {@link TransientFailure}, which the state machine retries.
     */
    default FailoverState run(FailoverState state, FailoverContext context) {
        long started = context.clock().millis();
        FailoverState next;
        try {
            next = apply(state, context);
        } catch (TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            if (!retrySafe(state)) {
                throw e;
            }
            throw TransientFailure.of(name(), e).orElseThrow(() -> e);
        }
        return next.withPhase(new FailoverState.PhaseRecord(name().stateName(), started, context.clock().millis() - started, ""));
    }
}
