package io.mhaserverless.core.switchover;

import io.mhaserverless.core.failover.Cleanup;
import io.mhaserverless.core.failover.FailoverContext;

/**
 * The new master forgets it was a replica of the old one (RESET REPLICA ALL, as MHA does last), so
 * it can never start replicating from it again — which would be a loop once the old master follows it.
 */
public final class SwitchoverCleanup implements SwitchoverPhase {

    @Override
    public SwitchoverStep name() {
        return SwitchoverStep.SWITCHOVER_CLEANUP;
    }

    @Override
    public SwitchoverState apply(SwitchoverState state, FailoverContext context) {
        Cleanup.forgetSource(context, state.newMaster(), name().stateName());
        return state;
    }
}
