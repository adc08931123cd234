package io.mhaserverless.core.failover;

/**
 * One step of a failover (ARCHITECTURE.md §1). Each is a function of the state it is given and the
 * servers as they are now, safe to run twice: a second run finds the work done and returns the
 * same state. Every wait inside has a timeout.
 */
public interface Phase {

    /** The name an operator sees in the Step Functions console and in the report. */
    default String name() {
        return getClass().getSimpleName();
    }

    FailoverState apply(FailoverState state, FailoverContext context);
}
