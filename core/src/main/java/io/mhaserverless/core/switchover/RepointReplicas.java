package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.failover.Repoint;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.Addresses;
import java.sql.SQLException;
import java.util.Optional;

/**
 * After the switch, every other replica follows the new master (MHA's switch_slaves), one per
 * call: asl.json's RepointReplicas Map runs them in parallel. GTID: repointed with
 * auto-positioning, the new master sends what it lacks. File/position: first it applies the old
 * master's binlog up to where writes stopped, then starts at the new master's position of that
 * moment. A replica that fails is reported, not fatal: the new master serves already.
 */
public final class RepointReplicas {

    private static final String NAME = SwitchoverStep.REPOINT_REPLICAS.stateName();

    /** One replica follows the new master and catches up with it. */
    public ReplicaOutcome repoint(SwitchoverState state, FailoverContext context, String replica) {
        ClusterConfig config = context.config();
        ServerConfig target = config.requireServer(replica);
        ServerConfig newMaster = config.requireServer(state.newMaster());
        ReplicaOutcome o;
        try (ServerSession s = context.open(config, target)) {
            o = follow(state, context, config, s, newMaster, true);
        } catch (SQLException | RuntimeException e) {
            o = new ReplicaOutcome(replica, false, e.getMessage());
        }
        context.progress().info(NAME, o.name() + ": " + (o.ok() ? "OK: " : "ERROR: ") + o.message());
        return o;
    }

    /**
     * Points {@code s} at the new master unless it follows it already, keeps it read-only, and waits
     * for it to have what the new master had when it took writes.
     *
     * @param fromOldMaster it replicates from the old master now (by file and position it must first
     *                      apply all of the old master's binlog); false for the old master itself
     */
    static ReplicaOutcome follow(SwitchoverState state, FailoverContext context, ClusterConfig config, ServerSession s,
                                 ServerConfig newMaster, boolean fromOldMaster) throws SQLException {
        String name = s.server().name();
        Optional<ReplicaStatus> status = s.replicaStatus();
        boolean following = status.isPresent() && Addresses.same(status.get().sourceHost(), status.get().sourcePort(),
                newMaster.host(), newMaster.port());
        long delay = status.map(ReplicaStatus::sqlDelaySeconds).orElse(0L);
        boolean caughtUp;
        if (state.gtid()) {
            if (!following) {
                if (!fromOldMaster) {
                    for (var sql : s.flavor().formerMasterGtidPosition(s.facts())) {
                        s.execute(sql);
                    }
                }
                Repoint.toSource(s, newMaster, config);
            }
            readOnly(s);
            if (delay > 0) {
                return delayed(name, newMaster, delay);
            }
            caughtUp = s.waitForGtids(s.flavor().parseGtidSet(state.newMasterGtids()), context.waitTimeout());
        } else {
            BinlogCoordinates start = BinlogCoordinates.parse(state.newMasterBinlog());
            if (!following) {
                if (fromOldMaster && delay == 0 && !s.waitForPosition(BinlogCoordinates.parse(state.finalBinlog()), context.waitTimeout())) {
                    return new ReplicaOutcome(name, false, "did not apply the old master's binlog up to " + state.finalBinlog()
                            + " within " + context.waitTimeout().toSeconds() + " s: left replicating from the old master");
                }
                Repoint.toSource(s, newMaster, config, start);
            }
            readOnly(s);
            if (delay > 0) {
                return delayed(name, newMaster, delay);
            }
            caughtUp = s.waitForPosition(start, context.waitTimeout());
        }
        if (!caughtUp) {
            return new ReplicaOutcome(name, false, "replicating from " + newMaster.label() + " but not caught up within "
                    + context.waitTimeout().toSeconds() + " s");
        }
        return new ReplicaOutcome(name, true, "replicating from " + newMaster.label() + ", caught up");
    }

    private static ReplicaOutcome delayed(String name, ServerConfig newMaster, long delay) {
        return new ReplicaOutcome(name, true, "replicating from " + newMaster.label() + " with MASTER_DELAY " + delay
                + " s: not waited for");
    }

    private static void readOnly(ServerSession s) throws SQLException {
        for (String sql : s.flavor().setReadOnly(true)) {
            s.execute(sql);
        }
    }
}
