package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;

/**
 * With origMasterIsNewSlave (MHA's --orig_master_is_new_slave) the old master, still read-only,
 * replicates from the new one: by GTID from after everything it wrote itself, or by file and
 * position from where the new master stood when it took writes — the old master had nothing
 * beyond that. A failure is reported, not fatal: the new master serves already.
 */
public final class OrigMasterAsReplica implements SwitchoverPhase {

    @Override
    public SwitchoverStep name() {
        return SwitchoverStep.ORIG_MASTER_AS_REPLICA;
    }

    @Override
    public SwitchoverState apply(SwitchoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig old = config.requireServer(state.origMaster());
        ServerConfig newMaster = config.requireServer(state.newMaster());
        ReplicaOutcome o;
        try (ServerSession s = context.open(config, old)) {
            o = RepointReplicas.follow(state, context, config, s, newMaster, false);
        } catch (SQLException | RuntimeException e) {
            o = new ReplicaOutcome(old.name(), false, e.getMessage());
        }
        context.progress().info(name().stateName(), o.name() + ": " + (o.ok() ? "OK: " : "ERROR: ") + o.message());
        return state.withOrigMasterOutcome(o);
    }
}
