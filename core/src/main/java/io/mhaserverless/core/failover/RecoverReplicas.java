package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.util.List;

/**
 * Phase 8 (MHA's recover_slaves, GTID): every other replica, in parallel, replicates from the new
 * master with auto-positioning and catches up with it, within the wait timeout. A replica that
 * fails is reported, not fatal: the new master serves already (MHA's exit code 10).
 */
public final class RecoverReplicas implements Phase {

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig newMaster = config.server(state.newMaster()).orElseThrow();
        List<ServerConfig> replicas = state.replicas().stream()
                .map(FailoverState.ReplicaPosition::name)
                .filter(n -> !n.equals(newMaster.name()))
                .map(n -> config.server(n).orElseThrow())
                .toList();
        List<ReplicaOutcome> outcomes = Parallel.map(replicas, r -> recover(state, context, config, r, newMaster));
        for (ReplicaOutcome o : outcomes) {
            context.progress().info(name(), o.name() + ": " + (o.ok() ? "OK: " : "ERROR: ") + o.message());
        }
        return state.withOutcomes(outcomes);
    }

    private ReplicaOutcome recover(FailoverState state, FailoverContext context, ClusterConfig config, ServerConfig replica,
                                   ServerConfig newMaster) {
        try (ServerSession s = context.open(config, replica)) {
            Repoint.toSource(s, newMaster, config);
            for (String sql : s.flavor().setReadOnly(true)) {
                s.execute(sql);
            }
            GtidSet wanted = s.flavor().parseGtidSet(state.newMasterGtids());
            if (!s.waitForGtids(wanted, context.waitTimeout())) {
                return new ReplicaOutcome(replica.name(), false, "replicating from " + newMaster.label()
                        + " but not caught up within " + context.waitTimeout().toSeconds() + " s");
            }
            return new ReplicaOutcome(replica.name(), true, "replicating from " + newMaster.label() + ", caught up");
        } catch (SQLException | FailoverException e) {
            return new ReplicaOutcome(replica.name(), false, e.getMessage());
        }
    }
}
