package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.Row;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.util.List;

/**
 * The old master stops taking writes (MHA's master_ip_online_change_script --command=stop and
 * lock_all_tables): read_only ON (super_read_only on MySQL, by its flavor) and the client sessions
 * that hold an open transaction ended; the writer address is released right after, by
 * {@link WriterAddressMove}. Then its binlog no longer moves, and where it stands is what the new
 * master must reach.
 */
final class BlockWrites {

    /**
     * Where the old master's binlog stopped: the position the new master catches up to.
     *
     * @param readOnlyAt when read_only had taken effect on the old master
     */
    record FinalPosition(BinlogCoordinates binlog, GtidSet gtids, int sessionsKilled, java.time.Instant readOnlyAt) {
    }

    private BlockWrites() {
    }

    /**
     * @param lockWaitSeconds how long SET GLOBAL read_only may wait for a client's lock: CheckSwitchover
     *                        refused statements running longer, so a longer wait means something is wrong
     */
    static FinalPosition apply(ServerSession oldMaster, boolean wasWritable, long lockWaitSeconds, Rollback rollback,
                               java.time.Clock clock, SwitchPoint.FaultHook faults) throws SQLException {
        ServerConfig server = oldMaster.server();
        oldMaster.execute(oldMaster.flavor().boundLockWait(lockWaitSeconds));
        for (String sql : oldMaster.flavor().setReadOnly(true)) {
            oldMaster.execute(sql);
        }
        java.time.Instant readOnlyAt = clock.instant();
        if (wasWritable) {
            rollback.changed(server.name() + " writable again", () -> {
                for (String sql : oldMaster.flavor().setReadOnly(false)) {
                    oldMaster.execute(sql);
                }
            });
        }
        faults.at(SwitchPoint.READ_ONLY_ON);
        int killed = endOpenTransactions(oldMaster);
        return position(oldMaster, killed, readOnlyAt);
    }

    /** Client sessions inside a transaction: their commits would fail under read_only, and their locks stay until they end. */
    private static int endOpenTransactions(ServerSession oldMaster) throws SQLException {
        List<Row> open = oldMaster.queryRows(oldMaster.flavor().clientTransactionsQuery());
        int killed = 0;
        for (Row r : open) {
            try {
                oldMaster.execute(oldMaster.flavor().killConnection(r.number("id", 0)));
                killed++;
            } catch (SQLException gone) {
                // 1094 unknown thread: it ended on its own meanwhile, which is what we wanted
                if (gone.getErrorCode() != 1094) {
                    throw gone;
                }
            }
        }
        return killed;
    }

    /** The old master's binlog and executed GTIDs, now that nothing writes to it. */
    static FinalPosition position(ServerSession oldMaster, int killed, java.time.Instant readOnlyAt) throws SQLException {
        BinlogCoordinates binlog = oldMaster.binlogStatus().orElseThrow(() ->
                new FailoverException(oldMaster.server().label() + " has no binary log")).current();
        return new FinalPosition(binlog, oldMaster.facts().executedGtids(), killed, readOnlyAt);
    }
}
