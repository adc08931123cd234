package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverState.Salvage;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;

/**
 * Phase 4 (MHA's save_master_binlog, which MHA skipped in GTID mode): decides whether the dead
 * master's binlog after the boundary — the transactions the master committed that no replica
 * received whole — is within reach: binlogDir configured and its host's node agent answering.
 * Then RecoverNewMaster saves it there and applies it to the new master in ONE agent call
 * (save-binlog --apply-to), once the new master has everything the replicas received, before any
 * replica is repointed; saving it here would cost a second agent start (an SSM round trip on AWS)
 * on the way to a writable master. When it is out of reach, the report says from which position
 * transactions may be lost.
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
        Salvage salvage;
        if (state.salvage() != null && state.salvage().status() != Salvage.Status.PENDING) {
            salvage = state.salvage(); // decided already (a state saved by an earlier version of this phase)
        } else if (dead.binlogDir().isEmpty()) {
            salvage = unreachable(from, "binlogDir of " + dead.name() + " is not configured");
        } else if (!context.nodeAgent().reachable(dead)) {
            salvage = unreachable(from, "the node agent on " + dead.label() + " does not answer");
        } else {
            salvage = new Salvage(Salvage.Status.PENDING, from.toString(), null, 0, 0, 0, null, "",
                    "to be saved and applied to the new master by RecoverNewMaster");
        }
        FailoverState next = state.withSalvage(salvage);
        if (salvage.status() == Salvage.Status.UNREACHABLE && state.salvage() == null) {
            next = lossWarning(next, from, salvage);
        }
        context.progress().info(name().stateName(), switch (salvage.status()) {
            case PENDING -> "the binlog of " + dead.label() + " after " + from + " is within reach: RecoverNewMaster saves it and"
                    + " applies it to the new master in one node-agent call";
            case SAVED -> "saved " + salvage.transactions() + " transactions of " + dead.label() + "'s binlog after " + from;
            case NOTHING_NEWER -> salvage.detail();
            case UNREACHABLE -> "cannot save the binlog of " + dead.label() + ": " + salvage.detail();
        });
        return next;
    }

    static Salvage unreachable(BinlogCoordinates from, String why) {
        return new Salvage(Salvage.Status.UNREACHABLE, from.toString(), null, 0, 0, 0, null, "", why);
    }

    /** The warning every report of a failover that could not save the dead master's binlog carries. */
    static FailoverState lossWarning(FailoverState state, BinlogCoordinates from, Salvage salvage) {
        return state.withWarning("transactions the dead master wrote after " + from + " may be lost: " + salvage.detail()
                + (state.lastSeenMasterBinlog() == null ? "" : " (it was last seen at " + state.lastSeenMasterBinlog() + ")"));
    }

    /** What a save (with or without its apply) found, as the state keeps it. */
    static Salvage saved(BinlogCoordinates from, NodeAgent.SavedBinlog saved, String note) {
        return saved.nothingNewer()
                ? new Salvage(Salvage.Status.NOTHING_NEWER, from.toString(), null, 0, 0, 0, null, "",
                        "the dead master wrote nothing after " + from)
                : new Salvage(Salvage.Status.SAVED, from.toString(), saved.path(), saved.bytes(), saved.events(),
                        saved.transactions(), saved.lastEnd().toString(), saved.gtids(),
                        String.join("; ", java.util.stream.Stream.of(note,
                                saved.truncatedTail() ? "its last event was cut off by the crash and is not applied" : "")
                                .filter(t -> !t.isEmpty()).toList()));
    }
}
