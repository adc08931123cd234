package io.mhaserverless.core.mysql;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * SHOW SLAVE STATUS / SHOW REPLICA STATUS in one shape for every flavor.
 *
 * @param received        how far the IO thread has read the source's binlog (Master_Log_File:Read_Master_Log_Pos)
 * @param executed        how far the SQL thread has applied it (Relay_Master_Log_File:Exec_Master_Log_Pos)
 * @param relay           where in its own relay log the SQL thread is (Relay_Log_File:Relay_Log_Pos)
 * @param receivedGtids   MySQL Retrieved_Gtid_Set, MariaDB Gtid_IO_Pos
 * @param executedGtids   MySQL Executed_Gtid_Set; MariaDB reports it as @@gtid_slave_pos, not here (empty)
 * @param gtidPositioning MySQL Auto_Position=1, MariaDB Using_Gtid other than No
 * @param sqlThreadState  Slave_SQL_Running_State: "... has read all relay log ..." when it is idle
 * @param sqlDelaySeconds SQL_Delay: a delayed replica (MASTER_DELAY) applies nothing younger than this
 */
public record ReplicaStatus(
        String sourceHost,
        int sourcePort,
        String sourceUser,
        long sourceServerId,
        IoThreadState ioThread,
        boolean sqlThreadRunning,
        String sqlThreadState,
        BinlogCoordinates received,
        BinlogCoordinates executed,
        BinlogCoordinates relay,
        OptionalLong secondsBehindSource,
        int lastIoErrno,
        String lastIoError,
        int lastSqlErrno,
        String lastSqlError,
        Optional<GtidSet> receivedGtids,
        Optional<GtidSet> executedGtids,
        boolean gtidPositioning,
        ReplicationFilters filters,
        long sqlDelaySeconds) {

    /** Slave_IO_Running: {@code Connecting} means the thread runs but has no source (e.g. the source is dead). */
    public enum IoThreadState {
        RUNNING, CONNECTING, STOPPED;

        static IoThreadState parse(String value) {
            return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "yes" -> RUNNING;
                case "connecting", "preparing" -> CONNECTING;
                default -> STOPPED;
            };
        }
    }

    /**
     * Whether it knows where it is in its source's history: GTID positioning, or a source binlog file.
     * RESET SLAVE (and CHANGE MASTER TO MASTER_LOG_FILE='') leaves a replica that still names its
     * source but has no file: it would start from the source's first binlog, so it is nobody's replica.
     */
    public boolean hasSourceCoordinates() {
        return gtidPositioning || (received.file() != null && !received.file().isBlank());
    }

    public boolean ioThreadRunning() {
        return ioThread == IoThreadState.RUNNING;
    }

    /** {@code host:port} of the source, the way the config's servers are keyed. */
    public String sourceAddress() {
        return sourceHost + ":" + sourcePort;
    }
}
