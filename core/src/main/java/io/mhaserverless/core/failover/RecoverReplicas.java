package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.Addresses;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Phase 8 (MHA's recover_slaves), one replica per call: asl.json's Map states run the calls in
 * parallel, one iteration per replica. Every other replica follows the new master and
 * catches up with it, within the wait timeout. GTID: repointed with auto-positioning, the new
 * master sends what it lacks. File/position: first brought to the boundary with the latest
 * replica's relay-log diff and the dead master's saved binlog, then repointed at the position the
 * new master had after its own recovery. In file/position mode every diff is applied (the first
 * Map) before any replica is repointed (the second): CHANGE MASTER purges the relay logs of the
 * replica whose logs the others' diffs come from (MHA's phases 4.1 and 4.2). A replica that fails
 * is reported, not fatal: the new master serves already (MHA's exit code 10).
 */
public final class RecoverReplicas {

    private static final String NAME = PhaseName.RECOVER_REPLICAS.stateName();

    /** The replicas this phase recovers: every replica of the dead master but the new master. */
    public static List<String> targets(FailoverState state) {
        if (state.newMaster() == null) {
            return List.of();
        }
        return state.replicas().stream().map(FailoverState.ReplicaPosition::name).filter(n -> !n.equals(state.newMaster())).toList();
    }

    /**
     * File/position, first pass, for one replica (Step Functions runs it as one Map iteration):
     * bring it to the boundary and past it. Not ok ends its recovery; the second pass reports that.
     */
    public ReplicaOutcome applyDiffs(FailoverState state, FailoverContext context, String replica) {
        ClusterConfig config = context.config();
        ServerConfig newMaster = config.requireServer(state.newMaster());
        ReplicaOutcome o = applyDiffs(state, context, config, config.requireServer(replica), newMaster)
                .orElseGet(() -> new ReplicaOutcome(replica, true, "brought to the boundary"));
        if (!o.ok()) {
            context.progress().info(NAME, o.name() + ": ERROR: " + o.message());
        }
        return o;
    }

    /**
     * One replica follows the new master and catches up with it (Step Functions: one Map iteration).
     * {@code firstPass} is the file/position first pass's outcome for it: a failed one is final.
     */
    public ReplicaOutcome recover(FailoverState state, FailoverContext context, String replica, Optional<ReplicaOutcome> firstPass) {
        if (firstPass.isPresent() && !firstPass.get().ok()) {
            return firstPass.get(); // the first pass said so already
        }
        ClusterConfig config = context.config();
        ReplicaOutcome o = repoint(state, context, config, config.requireServer(replica), config.requireServer(state.newMaster()));
        context.progress().info(NAME, o.name() + ": " + (o.ok() ? "OK: " : "ERROR: ") + o.message());
        return o;
    }

    /** File/position, first pass: bring the replica to the boundary and past it; a failure ends its recovery. */
    private Optional<ReplicaOutcome> applyDiffs(FailoverState state, FailoverContext context, ClusterConfig config,
                                                ServerConfig replica, ServerConfig newMaster) {
        try (ServerSession s = context.open(config, replica)) {
            if (!following(s, newMaster)) {
                if (state.replica(replica.name()).delaySeconds() == 0) {
                    ApplyRelayLog.await(s, context.waitTimeout(), context.clock());
                } // a delayed replica would apply its backlog only after its delay: the diff from where it is covers it
                s.execute(s.flavor().stopReplica()); // a transaction cut off by the crash must not hold locks
                if (Salvage.toBoundary(state, context, config, s).isEmpty()) {
                    Salvage.deadMasterBinlog(state, context, config, s);
                }
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of(failed(replica, e));
        }
    }

    /** Follow the new master (GTID: auto-positioning; file: from its recorded position) and catch up with it. */
    private ReplicaOutcome repoint(FailoverState state, FailoverContext context, ClusterConfig config, ServerConfig replica,
                                   ServerConfig newMaster) {
        long delay = state.replica(replica.name()).delaySeconds();
        try (ServerSession s = context.open(config, replica)) {
            boolean caughtUp;
            if (state.gtid()) {
                Repoint.toSource(s, newMaster, config);
                readOnly(s);
                if (delay > 0) {
                    return delayed(replica, newMaster, delay);
                }
                caughtUp = s.waitForGtids(s.flavor().parseGtidSet(state.newMasterGtids()), context.waitTimeout());
            } else {
                BinlogCoordinates start = BinlogCoordinates.parse(state.newMasterBinlog());
                if (!following(s, newMaster)) {
                    Repoint.toSource(s, newMaster, config, start);
                }
                readOnly(s);
                if (delay > 0) {
                    return delayed(replica, newMaster, delay);
                }
                caughtUp = s.waitForPosition(start, context.waitTimeout());
            }
            if (!caughtUp) {
                return new ReplicaOutcome(replica.name(), false, "replicating from " + newMaster.label()
                        + " but not caught up within " + context.waitTimeout().toSeconds() + " s");
            }
            return new ReplicaOutcome(replica.name(), true, "replicating from " + newMaster.label() + ", caught up");
        } catch (SQLException | RuntimeException e) {
            return failed(replica, e);
        }
    }

    /** The report's line names the replica already: a message that starts with its label does not say it twice. */
    private static ReplicaOutcome failed(ServerConfig replica, Exception e) {
        String message = String.valueOf(e.getMessage());
        String prefix = replica.label() + ": ";
        return new ReplicaOutcome(replica.name(), false, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /** A delayed replica lags on purpose: it follows the new master, and nobody waits for it. */
    private static ReplicaOutcome delayed(ServerConfig replica, ServerConfig newMaster, long delay) {
        return new ReplicaOutcome(replica.name(), true, "replicating from " + newMaster.label() + " with MASTER_DELAY " + delay
                + " s: not waited for");
    }

    /** Already repointed by an earlier run: applying the diffs again would write twice. */
    private static boolean following(ServerSession s, ServerConfig newMaster) throws SQLException {
        Optional<ReplicaStatus> status = s.replicaStatus();
        return status.isPresent() && Addresses.same(status.get().sourceHost(), status.get().sourcePort(), newMaster.host(), newMaster.port());
    }

    private static void readOnly(ServerSession s) throws SQLException {
        for (String sql : s.flavor().setReadOnly(true)) {
            s.execute(sql);
        }
    }
}
