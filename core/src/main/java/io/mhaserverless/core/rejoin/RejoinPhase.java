package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.TransientFailure;

/** One Task step of a rejoin: the failover's context, safe to run twice, every wait bounded. */
public interface RejoinPhase {

    RejoinStep name();

    RejoinState apply(RejoinState state, FailoverContext context);

    /** Applies the step and records when it ran; a connection-level failure leaves as a {@link TransientFailure}. */
    default RejoinState run(RejoinState state, FailoverContext context) {
        long started = context.clock().millis();
        RejoinState next;
        try {
            next = apply(state, context);
        } catch (TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw TransientFailure.causedBy(e).orElseThrow(() -> e);
        }
        return next.withPhase(new PhaseRecord(name().stateName(), started, context.clock().millis() - started, ""));
    }
}
