package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogStatus;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Phase 6 (MHA's recover_master): the new master applies everything it received; if it is not a
 * latest replica it catches up with one — by replicating from it (GTID) or by applying its
 * relay-log diff (file/position); then the dead master's binlog after the boundary is saved on its
 * host and applied, in one node-agent call (save-binlog --apply-to); then it stops
 * replicating and takes writes (read_only OFF). Its binlog position is read before read_only goes
 * OFF, so replicas repointed by file and position start exactly after the recovered transactions.
 */
public final class RecoverNewMaster implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.RECOVER_NEW_MASTER;
    }

    /**
     * Applying a diff or the saved binlog again is left out group by group by the target's executed
     * GTIDs (apply-diff --skip-gtids). A server without any (MySQL with gtid_mode=OFF) has no such
     * marker: a second run could apply twice, so an operator decides, not a retry.
     */
    @Override
    public boolean retrySafe(FailoverState state) {
        if (state.newMaster() == null) {
            return true;
        }
        return state.replicas().stream().filter(r -> r.name().equals(state.newMaster())).findFirst()
                .map(r -> r.executedGtids() != null && !r.executedGtids().isBlank()).orElse(false);
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig target = config.requireServer(state.newMaster());
        try (ServerSession newMaster = context.open(config, target)) {
            ApplyRelayLog.await(newMaster, context.waitTimeout(), context.clock());
            // Latest or not, it catches up with the recovery source unless it is that source: a latest
            // replica may still lack what it received but did not apply.
            boolean isSource = state.recoverySource().name().equals(target.name());
            if (!isSource && state.gtid()) {
                catchUpByReplication(state, context, config, newMaster);
            }
            // From here on nothing may apply besides us: a SQL thread left inside a transaction the
            // crash cut off would hold its row locks against the diffs (stopping it rolls that back).
            newMaster.execute(newMaster.flavor().stopReplica());
            Optional<FailoverState.Salvage> savedOnTheWay = !isSource && !state.gtid()
                    ? Salvage.toBoundary(state, context, config, newMaster) : Optional.empty();
            FailoverState.Salvage salvage = savedOnTheWay.isPresent() ? savedOnTheWay.get()
                    : Salvage.deadMasterBinlog(state, context, config, newMaster);
            ServerFacts facts = newMaster.facts();
            BinlogStatus binlog = newMaster.binlogStatus().orElseThrow(() ->
                    new FailoverException(target.label() + " has no binary log: it cannot be a master"));
            for (String sql : newMaster.flavor().setReadOnly(false)) {
                newMaster.execute(sql);
            }
            context.progress().info(name().stateName(), target.label() + " applied all it received"
                    + (isSource ? "" : " and caught up with " + state.recoverySource().name())
                    + (salvage != null && salvage.status() == FailoverState.Salvage.Status.SAVED
                            ? " and the dead master's saved binlog" : "")
                    + "; read_only OFF; executed " + facts.executedGtids() + ", binlog at " + binlog.current());
            FailoverState next = state.withSalvage(salvage);
            if (salvage != null && salvage.status() == FailoverState.Salvage.Status.UNREACHABLE && state.salvage() != null
                    && state.salvage().status() == FailoverState.Salvage.Status.PENDING) {
                next = SaveDeadMasterBinlog.lossWarning(next, BinlogCoordinates.parse(salvage.from()), salvage);
            }
            return next.withNewMasterPosition(facts.executedGtids().toString(), binlog.current().toString());
        } catch (SQLException e) {
            throw new FailoverException(target.label() + ": " + e.getMessage(), e);
        } catch (NodeAgent.Unreachable | NodeAgent.Failed e) {
            throw new FailoverException(target.label() + ": recovery through the node agent failed: " + e.getMessage(), e);
        }
    }

    /** Replicates from the latest replica (whose relay log FindLatestReplicas applied) until the new master has all it has. */
    private void catchUpByReplication(FailoverState state, FailoverContext context, ClusterConfig config, ServerSession newMaster)
            throws SQLException {
        ServerConfig latest = config.server(state.recoverySource().name()).orElseThrow();
        GtidSet wanted;
        try (ServerSession source = context.open(config, latest)) {
            ApplyRelayLog.await(source, context.waitTimeout(), context.clock());
            ServerFacts facts = source.facts();
            if (!facts.logBin() || !facts.logReplicaUpdates()) {
                throw new FailoverException(latest.label() + " is the latest replica but does not binlog what it replicates"
                        + " (log_bin and log_slave_updates must be ON) so " + newMaster.server().label()
                        + " cannot catch up from it");
            }
            wanted = facts.executedGtids();
        }
        if (newMaster.facts().executedGtids().contains(wanted)) {
            return; // already caught up (an earlier run of this phase)
        }
        context.progress().info(name().stateName(), newMaster.server().label() + " is behind; replicating from " + latest.label()
                + " until it has " + wanted);
        Repoint.toSource(newMaster, latest, config);
        if (!newMaster.waitForGtids(wanted, context.waitTimeout())) {
            throw new FailoverException(newMaster.server().label() + " did not catch up from " + latest.label() + " within "
                    + context.waitTimeout().toSeconds() + " s");
        }
    }
}
