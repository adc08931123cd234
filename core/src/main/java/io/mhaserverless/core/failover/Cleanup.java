package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;

/**
 * Phase 9 (MHA's phase 5): the new master forgets it was a replica (RESET REPLICA ALL), and the
 * dead master's host lets go of the writer address, which the fence already took from it on the
 * network: done here, after the new master takes writes, because a host that died with its
 * instance never answers and the failover would wait for it.
 */
public final class Cleanup implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.CLEANUP;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        forgetSource(context, state.newMaster(), name().stateName());
        if (state.deadMaster() != null) {
            // best effort: the adapter logs what the host answered
            context.writerIp().clearOldHost(context.config().requireServer(state.deadMaster()));
        }
        return state;
    }

    /** RESET REPLICA ALL on the new master; the switchover's cleanup does the same. */
    public static void forgetSource(FailoverContext context, String newMasterName, String stateName) {
        ClusterConfig config = context.config();
        ServerConfig newMaster = config.requireServer(newMasterName);
        try (ServerSession s = context.open(config, newMaster)) {
            s.execute(s.flavor().stopReplica());
            s.execute(s.flavor().resetReplicaAll());
        } catch (SQLException e) {
            throw new FailoverException(newMaster.label() + ": resetting replica info failed: " + e.getMessage(), e);
        }
        context.progress().info(stateName, newMaster.label() + ": resetting replica info succeeded");
    }
}
