package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.NodeAgent;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Applying what relay logs and the dead master's disk hold to a server, through the node agent —
 * each at most once: where the server has GTIDs, transactions it already has are not applied again
 * (a retried phase must not write twice).
 */
final class Salvage {

    private Salvage() {
    }

    /** What the target has, so that a retried apply leaves out what an earlier attempt got in. */
    private static Optional<String> applied(ServerSession target) throws SQLException {
        GtidSet has = target.facts().executedGtids();
        return has.isEmpty() ? Optional.empty() : Optional.of(has.toString());
    }

    private static void allowAdminWrites(ServerSession target) throws SQLException {
        for (String sql : target.flavor().allowAdminWrites()) {
            target.execute(sql);
        }
    }

    /** Brings {@code target} from its executed position up to the boundary with the latest replica's relay-log diff. */
    static void relayDiff(FailoverState state, FailoverContext context, ClusterConfig config, ServerSession target)
            throws SQLException {
        BinlogCoordinates boundary = BinlogCoordinates.parse(state.boundary());
        BinlogCoordinates from = target.replicaStatus().map(r -> r.executed())
                .orElseThrow(() -> new FailoverException(target.server().label() + " is no longer a replica of the dead master"));
        if (from.compareTo(boundary) >= 0) {
            return;
        }
        FailoverState.ReplicaPosition latest = state.recoverySource();
        ServerConfig base = config.requireServer(latest.name());
        GtidSet baseHas;
        try (ServerSession s = context.open(config, base)) {
            baseHas = s.facts().executedGtids();
        }
        if (!baseHas.isEmpty() && target.facts().executedGtids().contains(baseHas)) {
            return; // applied by an earlier run
        }
        allowAdminWrites(target);
        NodeAgent.Applied applied = context.nodeAgent().applyDiff(base,
                Optional.of(new NodeAgent.RelayDiff(latest.relayLogIndex(), from, Optional.of(boundary))), Optional.empty(),
                target.server(), applied(target));
        context.progress().info("Salvage", target.server().label() + ": applied " + applied.transactions()
                + " transactions from the relay log of " + base.label() + " (" + from + " to " + boundary + ")");
    }

    /** Applies the dead master's saved binlog to {@code target}, if one was saved. */
    static void deadMasterBinlog(FailoverState state, FailoverContext context, ClusterConfig config, ServerSession target)
            throws SQLException {
        FailoverState.Salvage salvage = state.salvage();
        if (salvage == null || salvage.status() != FailoverState.Salvage.Status.SAVED) {
            return;
        }
        GtidSet saved = target.flavor().parseGtidSet(salvage.gtids());
        if (!saved.isEmpty() && target.facts().executedGtids().contains(saved)) {
            return; // applied by an earlier run
        }
        ServerConfig dead = config.requireServer(state.deadMaster());
        allowAdminWrites(target);
        NodeAgent.Applied applied = context.nodeAgent().applyDiff(dead, Optional.empty(), Optional.of(salvage.path()), target.server(),
                applied(target));
        context.progress().info("Salvage", target.server().label() + ": applied " + applied.transactions()
                + " transactions saved from the binlog of " + dead.label());
    }
}
