package io.mhaserverless.core.port;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import java.util.Optional;

/**
 * The node agent on a MySQL host (node-agent/): the binlog and relay-log tools that keep every
 * transaction any survivor, or the dead master's disk, still holds. AWS: SSM Run Command of the
 * agent's document; local: the agent run as a process on this machine. Methods name the host
 * whose files are read; a failure to reach that host is {@link Unreachable}, any other failure
 * {@link Failed}.
 */
public interface NodeAgent {

    /** Whether the agent on this server's host answers (mysqld itself may be dead). */
    boolean reachable(ServerConfig host);

    /**
     * Saves the binlog of {@code host} after {@code from} (a transaction boundary in its binlog)
     * into a file on that host.
     */
    SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from);

    /**
     * Saves as {@link #saveBinlog} does and applies the saved events to {@code target} in the same
     * agent run (save-binlog --apply-to): one agent start, and one SSM round trip, instead of two. The
     * file stays on the host for the report and a rerun. Groups whose GTID is in {@code targetHas} are
     * left out, so a rerun writes nothing twice. {@link NotSaved} means the save failed and nothing
     * was applied; any other failure may have applied part of the events.
     */
    default SavedAndApplied saveAndApply(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from,
                                         ServerConfig target, Optional<String> targetHas) {
        // Two calls where an adapter has no single one: the save's failure still means nothing was applied.
        SavedBinlog saved;
        try {
            saved = saveBinlog(host, binlogDir, binlogPrefix, from);
        } catch (NotSaved | Unreachable e) {
            throw e;
        } catch (Failed e) {
            throw new NotSaved(e.getMessage());
        }
        Applied applied = saved.nothingNewer() ? new Applied(0, 0, 0)
                : applyDiff(host, Optional.empty(), Optional.of(saved.path()), target, targetHas);
        return new SavedAndApplied(saved, applied);
    }

    /**
     * Checks, writing nothing, that the binlog of {@code host} can be read from {@code from}: the
     * directory exists and is readable and holds that file, long enough (MHA: save_binary_logs
     * --command=test). {@link Failed} says what is wrong.
     */
    void checkBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from);

    /**
     * Applies to {@code target} the relay-log diff of {@code host} from {@code from} up to {@code until}
     * (source coordinates) followed by the saved binlog, as one stream, so no transaction is split.
     * Event groups whose GTID is in {@code targetHas} (the target's executed GTIDs) are left out, so
     * an apply cut off half-way can be run again without writing anything twice.
     */
    Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                      Optional<String> targetHas);

    default Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target) {
        return applyDiff(host, relayDiff, savedBinlog, target, Optional.empty());
    }

    /**
     * Whether the relay logs of {@code host} still hold the events after {@code position} (dead-master
     * coordinates): whether a diff from there can be built from them (the agent's find-relay-position;
     * MHA's apply_diff_relay_logs --command=find).
     */
    boolean relayLogsHold(ServerConfig host, String relayLogIndex, BinlogCoordinates position);

    /**
     * Whether the master greets a connection made from {@code via}'s host (the agent's
     * {@code check-master}): the probe's second network path, MHA's secondary_check_script.
     */
    boolean masterReachableFrom(ServerConfig via, ServerConfig master);

    /**
     * This agent for calls to the dead master's host. AWS: SSM accepts a command for a stopped
     * instance and leaves it Pending until its delivery timeout, so a command still Pending there
     * after {@link #DEAD_HOST_PENDING} means the host is unreachable ({@link Unreachable}) instead of
     * a wait that outlasts the Task. Locally the agent runs on this machine: the same agent.
     */
    default NodeAgent onDeadHost() {
        return this;
    }

    /** How long a command to the dead master's host may stay undelivered before the host counts as unreachable. */
    java.time.Duration DEAD_HOST_PENDING = java.time.Duration.ofSeconds(8);

    /**
     * The agent on {@code host}'s host answers, at which version, and reads the server's binlogDir
     * when it has one (the agent's {@code self-check}; mha check-agents, MHA's masterha_check_ssh).
     * {@link Failed} says what is wrong (the directory missing or unreadable).
     */
    default SelfCheck selfCheck(ServerConfig host) {
        throw new Unreachable("this node agent cannot run self-check");
    }

    /** @param binlogFiles the binlog files in binlogDir (0 when the server has none configured) */
    record SelfCheck(String version, Optional<String> binlogDir, long binlogFiles) {
    }

    /** @param gtids the GTIDs of the saved transactions in the flavor's notation (empty when the server had none) */
    record SavedBinlog(boolean nothingNewer, String path, long bytes, long events, long transactions,
                       BinlogCoordinates from, BinlogCoordinates lastEnd, boolean truncatedTail, String gtids) {
    }

    /** What save-binlog --apply-to saved, and what of it the target did not have yet and got. */
    record SavedAndApplied(SavedBinlog saved, Applied applied) {
    }

    record RelayDiff(String relayLogIndex, BinlogCoordinates from, Optional<BinlogCoordinates> until) {
    }

    record Applied(long events, long transactions, long bytes) {
    }

    /** The host did not answer: its files cannot be read. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** The agent answered with an error. */
    class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** save-binlog --apply-to could not save the binlog: nothing was applied. */
    final class NotSaved extends Failed {
        public NotSaved(String message) {
            super(message);
        }
    }

    /** The relay logs no longer hold the position a diff was to start (or end) at: they were purged. */
    final class NotInRelayLogs extends Failed {
        public NotInRelayLogs(String message) {
            super(message);
        }
    }

    /** No agent configured: nothing can be saved or applied from hosts. */
    NodeAgent NONE = new NodeAgent() {
        @Override
        public boolean reachable(ServerConfig host) {
            return false;
        }

        @Override
        public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
            throw new Unreachable("no node agent is configured");
        }

        @Override
        public boolean masterReachableFrom(ServerConfig via, ServerConfig master) {
            throw new Unreachable("no node agent is configured");
        }

        @Override
        public void checkBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
            throw new Unreachable("no node agent is configured");
        }

        @Override
        public boolean relayLogsHold(ServerConfig host, String relayLogIndex, BinlogCoordinates position) {
            throw new Unreachable("no node agent is configured");
        }

        @Override
        public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                                 Optional<String> targetHas) {
            throw new Unreachable("no node agent is configured");
        }
    };
}
