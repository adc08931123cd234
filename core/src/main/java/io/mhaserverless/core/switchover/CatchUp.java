package io.mhaserverless.core.switchover;

import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The new master applies everything the old master wrote before writes stopped (MHA's
 * MASTER_POS_WAIT in switch_master): a GTID wait, or a wait for the old master's final binlog
 * position, by the flavor's function — bounded, unlike MHA's.
 */
final class CatchUp {

    private CatchUp() {
    }

    static void apply(ServerSession newMaster, BlockWrites.FinalPosition target, boolean gtid, Duration bound) throws SQLException {
        // An earlier, interrupted run may have stopped it: it can only catch up while it replicates.
        Optional<ReplicaStatus> status = newMaster.replicaStatus();
        if (status.isPresent() && (!status.get().ioThreadRunning() || !status.get().sqlThreadRunning())
                && status.get().lastSqlErrno() == 0) {
            newMaster.execute(newMaster.flavor().startReplica());
        }
        boolean caughtUp = gtid ? newMaster.waitForGtids(target.gtids(), bound) : newMaster.waitForPosition(target.binlog(), bound);
        if (!caughtUp) {
            throw new FailoverException(newMaster.server().label() + " did not apply the old master's last transactions ("
                    + (gtid ? target.gtids() : target.binlog()) + ") within " + bound.toMillis() + " ms");
        }
    }
}
