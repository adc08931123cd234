package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.WriterIp;
import java.sql.SQLException;

/**
 * The caught-up new master stops replicating, takes the writer address, and takes writes
 * (read_only OFF): the point of no return. Before that, one last look at the old master: if its
 * binlog moved after writes were blocked, a client that read_only does not stop (SUPER or READ_ONLY
 * ADMIN on MariaDB) is still writing there, and switching now would lose its writes.
 */
final class PromoteNewMaster {

    /** The new master's position as it became writable: where replicas by file and position start. */
    record Promoted(BinlogCoordinates binlog, GtidSet gtids) {
    }

    private PromoteNewMaster() {
    }

    /** Everything up to the point of no return; undoable through {@code rollback}. */
    static Promoted prepare(ServerSession oldMaster, ServerSession newMaster, BlockWrites.FinalPosition blocked, WriterIp writerIp,
                            Rollback rollback) throws SQLException {
        BlockWrites.FinalPosition now = BlockWrites.position(oldMaster, 0, blocked.readOnlyAt());
        if (!now.binlog().equals(blocked.binlog())) {
            throw new FailoverException(oldMaster.server().label() + " wrote to its binlog after read_only went ON ("
                    + blocked.binlog() + " -> " + now.binlog() + "): a client with SUPER or READ_ONLY ADMIN is still writing there");
        }
        ServerConfig server = newMaster.server();
        newMaster.execute(newMaster.flavor().stopReplica());
        rollback.changed(server.name() + " replicating again", () -> newMaster.execute(newMaster.flavor().startReplica()));
        BinlogCoordinates binlog = newMaster.binlogStatus().orElseThrow(() ->
                new FailoverException(server.label() + " has no binary log: it cannot be a master")).current();
        GtidSet gtids = newMaster.facts().executedGtids();
        writerIp.assign(server);
        rollback.changed("the writer address off " + server.name(), () -> writerIp.release(server));
        return new Promoted(binlog, gtids);
    }

    /** The point of no return: from here on the new master takes writes and nothing is rolled back. */
    static void takeWrites(ServerSession newMaster) throws SQLException {
        for (String sql : newMaster.flavor().setReadOnly(false)) {
            newMaster.execute(sql);
        }
    }
}
