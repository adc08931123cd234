package io.mhaserverless.core.mysql;

/**
 * The two spellings of SHOW ... STATUS columns. MySQL 8.0.22 renamed Master_* / Slave_* to Source_* /
 * Replica_* (8.4 knows only the new ones); MariaDB and MySQL 5.7 use the old ones.
 */
enum StatusColumns {
    LEGACY("Master_Host", "Master_Port", "Master_User", "Master_Server_Id", "Slave_IO_Running", "Slave_SQL_Running",
            "Master_Log_File", "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Seconds_Behind_Master"),
    REPLICA("Source_Host", "Source_Port", "Source_User", "Source_Server_Id", "Replica_IO_Running", "Replica_SQL_Running",
            "Source_Log_File", "Read_Source_Log_Pos", "Relay_Source_Log_File", "Exec_Source_Log_Pos", "Seconds_Behind_Source");

    final String sourceHost;
    final String sourcePort;
    final String sourceUser;
    final String sourceServerId;
    final String ioRunning;
    final String sqlRunning;
    final String sourceLogFile;
    final String readSourceLogPos;
    final String relaySourceLogFile;
    final String execSourceLogPos;
    final String secondsBehind;

    StatusColumns(String sourceHost, String sourcePort, String sourceUser, String sourceServerId, String ioRunning,
                  String sqlRunning, String sourceLogFile, String readSourceLogPos, String relaySourceLogFile,
                  String execSourceLogPos, String secondsBehind) {
        this.sourceHost = sourceHost;
        this.sourcePort = sourcePort;
        this.sourceUser = sourceUser;
        this.sourceServerId = sourceServerId;
        this.ioRunning = ioRunning;
        this.sqlRunning = sqlRunning;
        this.sourceLogFile = sourceLogFile;
        this.readSourceLogPos = readSourceLogPos;
        this.relaySourceLogFile = relaySourceLogFile;
        this.execSourceLogPos = execSourceLogPos;
        this.secondsBehind = secondsBehind;
    }

    /** The flavor-independent part of a status row; the flavor adds its GTID columns. */
    ReplicaStatus parse(Row row, java.util.Optional<GtidSet> received, java.util.Optional<GtidSet> executed, boolean gtidPositioning) {
        String sbm = row.text(secondsBehind);
        return new ReplicaStatus(
                row.text(sourceHost),
                (int) row.number(sourcePort, 0),
                row.text(sourceUser),
                row.number(sourceServerId, 0),
                ReplicaStatus.IoThreadState.parse(row.text(ioRunning)),
                row.flag(sqlRunning),
                row.text(this == LEGACY ? "Slave_SQL_Running_State" : "Replica_SQL_Running_State"),
                new BinlogCoordinates(row.text(sourceLogFile), row.number(readSourceLogPos, 0)),
                new BinlogCoordinates(row.text(relaySourceLogFile), row.number(execSourceLogPos, 0)),
                new BinlogCoordinates(row.text("Relay_Log_File"), row.number("Relay_Log_Pos", 0)),
                sbm.isBlank() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(sbm.trim())),
                (int) row.number("Last_IO_Errno", 0),
                row.text("Last_IO_Error"),
                (int) row.number("Last_SQL_Errno", 0),
                row.text("Last_SQL_Error"),
                received,
                executed,
                gtidPositioning,
                ReplicationFilters.from(row),
                row.number("SQL_Delay", 0));
    }
}
