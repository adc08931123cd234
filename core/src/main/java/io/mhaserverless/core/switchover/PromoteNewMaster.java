package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerFacts;
import java.sql.SQLException;

/**
 * The caught-up new master stops replicating and takes writes (read_only OFF): the point of no
 * return. Before that, two last looks: if the old master's binlog moved after writes were blocked,
 * or the new master wrote a transaction of its own while it caught up, a client that read_only does
 * not stop (SUPER or READ_ONLY ADMIN on MariaDB) is writing, and switching now would lose or fork
 * its writes.
 */
final class PromoteNewMaster {

    /** The new master's position as it became writable: where replicas by file and position start. */
    record Promoted(BinlogCoordinates binlog, GtidSet gtids) {
    }

    private PromoteNewMaster() {
    }

    /**
     * Everything up to the point of no return; undoable through {@code rollback}.
     *
     * @param ownBefore the transactions the new master had written itself before the block (a former master's, or
     *                  forced errant ones): only others are a client's writes during the catch-up
     */
    static Promoted prepare(ServerSession oldMaster, ServerSession newMaster, BlockWrites.FinalPosition blocked, GtidSet ownBefore,
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
        ServerFacts facts = newMaster.facts();
        GtidSet own = ownWrites(newMaster, facts).subtract(ownBefore);
        if (!own.isEmpty()) {
            throw new FailoverException(server.label() + " wrote transactions of its own while it caught up (" + own
                    + "): a client with SUPER or READ_ONLY ADMIN is writing there");
        }
        return new Promoted(binlog, facts.executedGtids());
    }

    /** The transactions a server wrote itself (not replicated): its own server_id (MariaDB) or server_uuid (MySQL). */
    static GtidSet ownWrites(ServerSession server, ServerFacts facts) {
        return facts.executedGtids().originatedBy(server.flavor().gtidOrigin(facts));
    }

    /** The point of no return: from here on the new master takes writes and nothing is rolled back. */
    static void takeWrites(ServerSession newMaster) throws SQLException {
        for (String sql : newMaster.flavor().setReadOnly(false)) {
            newMaster.execute(sql);
        }
    }
}
