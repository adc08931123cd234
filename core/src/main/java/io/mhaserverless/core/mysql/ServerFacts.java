package io.mhaserverless.core.mysql;

import java.util.Optional;

/**
 * What discovery reads from every server besides its replica status.
 *
 * @param executedGtids MySQL {@code @@gtid_executed}; MariaDB {@code @@gtid_binlog_state} (every
 *                      domain-server pair the binlog holds), the set errant transactions are found in
 * @param gtidMode      MySQL {@code @@gtid_mode}; empty on MariaDB, where GTIDs are always on
 * @param superReadOnly empty where the flavor has no super_read_only (MariaDB)
 * @param replicaGtidPosition MariaDB {@code @@gtid_slave_pos}: what replication applied; empty on MySQL
 * @param relayLogIndex the absolute path of the relay-log index (relative names resolved against the datadir)
 */
public record ServerFacts(
        long serverId,
        ServerVersion version,
        Optional<String> serverUuid,
        boolean logBin,
        Optional<String> logBinBasename,
        boolean logReplicaUpdates,
        boolean relayLogPurge,
        boolean readOnly,
        Optional<Boolean> superReadOnly,
        Optional<String> gtidMode,
        GtidSet executedGtids,
        Optional<GtidSet> purgedGtids,
        Optional<GtidSet> replicaGtidPosition,
        Optional<String> relayLogIndex) {

    static Optional<String> relayLogIndex(Row row) {
        return row.get("relay_log_index").filter(s -> !s.isBlank()).map(index -> {
            if (index.startsWith("/")) {
                return index;
            }
            String dir = row.text("datadir");
            return (dir.endsWith("/") ? dir : dir + "/") + (index.startsWith("./") ? index.substring(2) : index);
        });
    }

    /**
     * The transactions of {@code gtids} this server does not have: neither in its binlog nor in what
     * replication applied. The two differ on MariaDB without log_slave_updates (gtid_slave_pos holds
     * what the binlog lacks); MySQL's gtid_executed holds both.
     */
    public GtidSet lacks(GtidSet gtids) {
        GtidSet missing = gtids.subtract(executedGtids);
        return replicaGtidPosition.map(missing::subtract).orElse(missing);
    }

    /**
     * What this server wrote itself ({@code origin}: its server_uuid or server_id) and never got back
     * through replication. MariaDB advances @@gtid_slave_pos also for its own transactions that its
     * source sends back, as the peer of a master-master pair does with everything this server wrote
     * while it was the writable side: those its source had, so they are the cluster's history. What
     * is left was written here and seen by no source: the candidates for errant transactions. MySQL
     * never sends a server its own transactions back (auto-positioning skips them), so there it is
     * everything this server wrote.
     */
    public GtidSet writtenHereOnly(String origin) {
        GtidSet own = executedGtids.originatedBy(origin);
        return replicaGtidPosition.map(own::subtractFromOrigin).orElse(own);
    }

    /** Writable by ordinary clients: neither read_only nor super_read_only. */
    public boolean writable() {
        return !readOnly && !superReadOnly.orElse(false);
    }
}
