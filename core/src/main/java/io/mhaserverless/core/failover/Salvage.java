package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.NodeAgent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Brings {@code target} from its executed position up to the boundary: with the relay-log diff of
     * the recovery source, else of another latest replica whose relay logs still hold its position,
     * else — beyond MHA, which leaves such a replica behind — with the dead master's binlog read from
     * that position while its host answers, saved and applied in one agent call. The last way applies
     * everything up to the end of that binlog, the saved tail included.
     *
     * @return what was saved when the dead master's binlog after the boundary was applied too; empty otherwise
     */
    static Optional<FailoverState.Salvage> toBoundary(FailoverState state, FailoverContext context, ClusterConfig config,
                                                      ServerSession target) throws SQLException {
        BinlogCoordinates boundary = BinlogCoordinates.parse(state.boundary());
        BinlogCoordinates from = target.replicaStatus().map(r -> r.executed())
                .orElseThrow(() -> new FailoverException(target.server().label() + " is no longer a replica of the dead master"));
        if (from.compareTo(boundary) >= 0) {
            return Optional.empty();
        }
        FailoverState.ReplicaPosition latest = state.recoverySource();
        GtidSet baseHas;
        try (ServerSession s = context.open(config, config.requireServer(latest.name()))) {
            baseHas = s.facts().executedGtids();
        }
        if (!baseHas.isEmpty() && target.facts().executedGtids().contains(baseHas)) {
            return Optional.empty(); // applied by an earlier run
        }
        allowAdminWrites(target);
        List<String> tried = new ArrayList<>();
        if (!state.lackingRelayLogs().contains(target.server().name())) {
            for (FailoverState.ReplicaPosition source : state.recoverySources().stream()
                    .sorted(java.util.Comparator.comparing(r -> !r.name().equals(latest.name()))).toList()) {
                if (source.name().equals(target.server().name())) {
                    continue;
                }
                ServerConfig base = config.requireServer(source.name());
                try {
                    NodeAgent.Applied applied = context.nodeAgent().applyDiff(base,
                            Optional.of(new NodeAgent.RelayDiff(source.relayLogIndex(), from, Optional.of(boundary))), Optional.empty(),
                            target.server(), applied(target));
                    context.progress().info("Salvage", target.server().label() + ": applied " + applied.transactions()
                            + " transactions from the relay log of " + base.label() + " (" + from + " to " + boundary + ")");
                    return Optional.empty();
                } catch (NodeAgent.NotInRelayLogs purged) {
                    tried.add(source.name());
                }
            }
        }
        String lacking = "no latest replica holds the relay logs it needs (from " + from + ")"
                + (tried.isEmpty() ? "" : ": " + String.join(", ", tried) + " purged them");
        ServerConfig dead = config.requireServer(state.deadMaster());
        FailoverState.Salvage salvage = state.salvage();
        if (salvage == null || salvage.status() == FailoverState.Salvage.Status.UNREACHABLE || dead.binlogDir().isEmpty()) {
            throw new FailoverException(target.server().label() + ": " + lacking + ", and the dead master's binlog is out of reach"
                    + (salvage == null ? "" : " (" + salvage.detail() + ")"));
        }
        NodeAgent.SavedAndApplied done = context.nodeAgent().onDeadHost().saveAndApply(dead, dead.binlogDir().get(),
                BinlogCoordinates.prefix(from.file()), from, target.server(), applied(target));
        context.progress().info("Salvage", target.server().label() + ": " + lacking + "; applied " + done.applied().transactions()
                + " transactions from the binlog of " + dead.label() + " after " + from + " instead");
        return Optional.of(SaveDeadMasterBinlog.saved(from, done.saved(),
                "saved from " + from + ", where " + target.server().name() + " stood (no relay log held what it lacked)"));
    }

    /**
     * Applies the dead master's binlog after the boundary to {@code target}: while it is
     * {@code PENDING}, saved on the dead master's host and applied in one agent call; once
     * {@code SAVED}, from the saved file. A save that fails (nothing applied) leaves the failover
     * to go on without the tail, as MHA does — a master that stays dead helps nobody — and says so.
     *
     * @return the salvage as it stands afterwards
     */
    static FailoverState.Salvage deadMasterBinlog(FailoverState state, FailoverContext context, ClusterConfig config,
                                                  ServerSession target) throws SQLException {
        FailoverState.Salvage salvage = state.salvage();
        if (salvage != null && salvage.status() == FailoverState.Salvage.Status.PENDING) {
            return saveAndApply(state, context, config, target, salvage);
        }
        if (salvage == null || salvage.status() != FailoverState.Salvage.Status.SAVED) {
            return salvage;
        }
        GtidSet saved = target.flavor().parseGtidSet(salvage.gtids());
        if (!saved.isEmpty() && target.facts().executedGtids().contains(saved)) {
            return salvage; // applied by an earlier run
        }
        ServerConfig dead = config.requireServer(state.deadMaster());
        allowAdminWrites(target);
        NodeAgent.Applied applied = context.nodeAgent().applyDiff(dead, Optional.empty(), Optional.of(salvage.path()), target.server(),
                applied(target));
        context.progress().info("Salvage", target.server().label() + ": applied " + applied.transactions()
                + " transactions saved from the binlog of " + dead.label());
        return salvage;
    }

    private static FailoverState.Salvage saveAndApply(FailoverState state, FailoverContext context, ClusterConfig config,
                                                      ServerSession target, FailoverState.Salvage pending) throws SQLException {
        ServerConfig dead = config.requireServer(state.deadMaster());
        BinlogCoordinates from = BinlogCoordinates.parse(pending.from());
        allowAdminWrites(target);
        try {
            // --skip-gtids: a rerun (the controller killed after the apply) leaves out what got in.
            NodeAgent.SavedAndApplied done = context.nodeAgent().onDeadHost().saveAndApply(dead, dead.binlogDir().orElseThrow(),
                    BinlogCoordinates.prefix(from.file()), from, target.server(), applied(target));
            FailoverState.Salvage result = SaveDeadMasterBinlog.saved(from, done.saved(), "");
            context.progress().info("Salvage", result.status() == FailoverState.Salvage.Status.NOTHING_NEWER ? result.detail()
                    : "saved " + result.transactions() + " transactions (" + result.events() + " events, " + result.bytes()
                    + " bytes) of " + dead.label() + "'s binlog after " + from + " to " + result.path() + " and applied "
                    + done.applied().transactions() + " of them to " + target.server().label() + " in the same agent call");
            return result;
        } catch (NodeAgent.Unreachable e) {
            // Never delivered (AWS: still Pending after DEAD_HOST_PENDING on a host SSM called Online, then
            // cancelled), so nothing was applied; a stopped host must not hold the failover up. Should SSM deliver
            // it after all, the agent applies nothing: it had to start 2 s before that limit (save-binlog --start-by).
            return notSaved(context, dead, from, e.getMessage());
        } catch (NodeAgent.NotSaved e) {
            return notSaved(context, dead, from, "saving it failed: " + e.getMessage());
        }
    }

    private static FailoverState.Salvage notSaved(FailoverContext context, ServerConfig dead, BinlogCoordinates from, String why) {
        context.progress().info("Salvage", "cannot save the binlog of " + dead.label() + ": " + why);
        return SaveDeadMasterBinlog.unreachable(from, why);
    }
}
