package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverState.Salvage;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import java.util.Optional;

/**
 * Phase 4 (MHA's save_master_binlog, which MHA skipped in GTID mode): when the dead master's host
 * still answers although mysqld is dead, its node agent saves the binlog after the boundary — the
 * transactions the master committed that no replica received whole. RecoverNewMaster applies them
 * before any replica is repointed. When the host does not answer, the report says from which
 * position transactions may be lost.
 */
public final class SaveDeadMasterBinlog implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.SAVE_DEAD_MASTER_BINLOG;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig dead = config.requireServer(state.deadMaster());
        BinlogCoordinates from = BinlogCoordinates.parse(state.boundary());
        Optional<String> binlogDir = dead.binlogDir();
        Salvage salvage;
        if (binlogDir.isEmpty()) {
            salvage = unreachable(from, "binlogDir of " + dead.name() + " is not configured");
        } else if (!context.nodeAgent().reachable(dead)) {
            salvage = unreachable(from, "the node agent on " + dead.label() + " does not answer");
        } else {
            try {
                NodeAgent.SavedBinlog saved = context.nodeAgent().onDeadHost().saveBinlog(dead, binlogDir.get(),
                        BinlogCoordinates.prefix(from.file()), from);
                salvage = saved.nothingNewer()
                        ? new Salvage(Salvage.Status.NOTHING_NEWER, from.toString(), null, 0, 0, 0, null, "",
                                "the dead master wrote nothing after " + from)
                        : new Salvage(Salvage.Status.SAVED, from.toString(), saved.path(), saved.bytes(), saved.events(),
                                saved.transactions(), saved.lastEnd().toString(), saved.gtids(),
                                saved.truncatedTail() ? "its last event was cut off by the crash and is not applied" : "");
            } catch (NodeAgent.Unreachable e) {
                salvage = unreachable(from, e.getMessage());
            } catch (NodeAgent.Failed e) {
                // As MHA: a master that stays dead helps nobody; fail over with what the replicas have, and say so.
                salvage = unreachable(from, "saving it failed: " + e.getMessage());
            }
        }
        FailoverState next = state.withSalvage(salvage);
        if (salvage.status() == Salvage.Status.UNREACHABLE) {
            next = next.withWarning("transactions the dead master wrote after " + from + " may be lost: " + salvage.detail()
                    + (state.lastSeenMasterBinlog() == null ? "" : " (it was last seen at " + state.lastSeenMasterBinlog() + ")"));
        }
        context.progress().info(name().stateName(), switch (salvage.status()) {
            case SAVED -> "saved " + salvage.transactions() + " transactions (" + salvage.events() + " events, " + salvage.bytes()
                    + " bytes) of " + dead.label() + "'s binlog after " + from + " to " + salvage.path();
            case NOTHING_NEWER -> salvage.detail();
            case UNREACHABLE -> "cannot save the binlog of " + dead.label() + ": " + salvage.detail();
        });
        return next;
    }

    private static Salvage unreachable(BinlogCoordinates from, String why) {
        return new Salvage(Salvage.Status.UNREACHABLE, from.toString(), null, 0, 0, 0, null, "", why);
    }
}
