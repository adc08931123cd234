package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;

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
        var config = context.config();
        ServerConfig newMaster = config.requireServer(state.newMaster());
        try (ServerSession s = context.open(config, newMaster)) {
            s.execute(s.flavor().stopReplica());
            s.execute(s.flavor().resetReplicaAll());
        } catch (SQLException e) {
            throw new FailoverException(newMaster.label() + ": resetting replica info failed: " + e.getMessage(), e);
        }
        context.progress().info(name().stateName(), newMaster.label() + ": resetting replica info succeeded");
        return state;
    }
}
