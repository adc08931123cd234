package io.mhaserverless.core.mysql;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * MariaDB 10.x and 11.x: domain-server-seq GTIDs, MASTER_USE_GTID, MASTER_GTID_WAIT, no
 * super_read_only (read_only alone; SUPER / READ_ONLY ADMIN users can still write).
 */
public record MariaDbFlavor(ServerVersion version) implements Flavor {

    @Override
    public String family() {
        return "MariaDB " + version.major() + "." + version.minor();
    }

    @Override
    public String showReplicaStatus() {
        return "SHOW SLAVE STATUS";
    }

    /** Only the ALL form has the heartbeat columns; the default connection (named '') sorts first. */
    @Override
    public String sourceContactQuery() {
        return "SHOW ALL SLAVES STATUS";
    }

    @Override
    public SourceContact parseSourceContact(Row row) {
        double period = Double.parseDouble(row.get("Slave_heartbeat_period").filter(v -> !v.isBlank()).orElse("0"));
        return new SourceContact(row.number("Slave_received_heartbeats", 0),
                row.text("Master_Log_File") + ":" + row.number("Read_Master_Log_Pos", 0) + ":" + row.text("Gtid_IO_Pos"),
                Duration.ofMillis(Math.round(period * 1000)));
    }

    @Override
    public ReplicaStatus parseReplicaStatus(Row row) {
        Optional<GtidSet> received = row.get("Gtid_IO_Pos").filter(s -> !s.isBlank()).map(MariaDbGtidSet::parse);
        String usingGtid = row.text("Using_Gtid");
        boolean gtid = !usingGtid.isBlank() && !usingGtid.equalsIgnoreCase("No");
        return StatusColumns.LEGACY.parse(row, received, Optional.empty(), gtid);
    }

    @Override
    public String serverFactsQuery() {
        return "SELECT @@server_id AS server_id, @@version AS version, @@log_bin AS log_bin,"
                + " @@log_bin_basename AS log_bin_basename, @@log_slave_updates AS log_replica_updates,"
                + " @@relay_log_purge AS relay_log_purge, @@read_only AS read_only,"
                + " @@gtid_binlog_state AS executed_gtids, @@gtid_slave_pos AS replica_gtid_position,"
                + " @@datadir AS datadir, @@relay_log_index AS relay_log_index";
    }

    @Override
    public ServerFacts parseServerFacts(Row row) {
        return new ServerFacts(
                row.number("server_id", 0),
                version,
                Optional.empty(),
                row.flag("log_bin"),
                row.get("log_bin_basename").filter(s -> !s.isBlank()),
                row.flag("log_replica_updates"),
                row.flag("relay_log_purge"),
                row.flag("read_only"),
                Optional.empty(),
                Optional.empty(),
                MariaDbGtidSet.parse(row.text("executed_gtids")),
                Optional.empty(),
                Optional.of(MariaDbGtidSet.parse(row.text("replica_gtid_position"))),
                ServerFacts.relayLogIndex(row));
    }

    @Override
    public String showBinlogStatus() {
        return "SHOW MASTER STATUS";
    }

    @Override
    public GtidSet parseGtidSet(String text) {
        return MariaDbGtidSet.parse(text);
    }

    @Override
    public GtidSet emptyGtidSet() {
        return MariaDbGtidSet.empty();
    }

    @Override
    public String startReplica() {
        return "START SLAVE";
    }

    @Override
    public String stopReplica() {
        return "STOP SLAVE";
    }

    @Override
    public String startIoThread() {
        return "START SLAVE IO_THREAD";
    }

    @Override
    public String stopIoThread() {
        return "STOP SLAVE IO_THREAD";
    }

    @Override
    public String startSqlThread() {
        return "START SLAVE SQL_THREAD";
    }

    @Override
    public String stopSqlThread() {
        return "STOP SLAVE SQL_THREAD";
    }

    @Override
    public String resetReplicaAll() {
        return "RESET SLAVE ALL";
    }

    @Override
    public Sql changeSource(SourceChange change) {
        String head = "CHANGE MASTER TO MASTER_HOST=" + Sql.quote(change.host()) + ", MASTER_PORT=" + change.port()
                + ", MASTER_USER=" + Sql.quote(change.user()) + ", MASTER_PASSWORD=";
        String tail = ", MASTER_CONNECT_RETRY=1" + change.start()
                .map(start -> ", MASTER_LOG_FILE=" + Sql.quote(start.file()) + ", MASTER_LOG_POS=" + start.position()
                        + ", MASTER_USE_GTID=no")
                .orElse(", MASTER_USE_GTID=slave_pos");
        return new Sql(head + Sql.quote(change.password()) + tail, head + "'***'" + tail);
    }

    @Override
    public List<String> setReadOnly(boolean readOnly) {
        return List.of("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
    }

    @Override
    public Sql waitForGtids(GtidSet gtids, Duration timeout) {
        // MASTER_GTID_WAIT takes a position: one GTID per domain.
        String position = ((MariaDbGtidSet) gtids).position().toString();
        return Sql.plain("SELECT MASTER_GTID_WAIT(" + Sql.quote(position) + ", " + Flavor.seconds(timeout) + ")");
    }

    @Override
    public Sql waitForPosition(BinlogCoordinates position, Duration timeout) {
        return Sql.plain("SELECT MASTER_POS_WAIT(" + Sql.quote(position.file()) + ", " + position.position() + ", "
                + Flavor.seconds(timeout) + ")");
    }

    @Override
    public boolean gtidWaitSucceeded(long result) {
        return result == 0; // -1 on timeout
    }

    /**
     * MASTER_USE_GTID=slave_pos resumes from @@gtid_slave_pos, which only replication advances:
     * transactions applied otherwise (mysqlbinlog | mariadb, a catch-up) are in the binlog but not
     * there, and the new source would send them again. When the binlog is ahead, copy it over.
     */
    @Override
    public List<Sql> alignReplicaGtidPosition(ServerFacts facts) {
        if (!facts.logBin() || !facts.logReplicaUpdates() || facts.replicaGtidPosition().isEmpty()) {
            return List.of();
        }
        MariaDbGtidSet binlog = ((MariaDbGtidSet) facts.executedGtids()).position();
        GtidSet applied = facts.replicaGtidPosition().get();
        if (binlog.isEmpty() || binlog.equals(applied) || !binlog.contains(applied)) {
            return List.of();
        }
        return List.of(Sql.plain("SET GLOBAL gtid_slave_pos = " + Sql.quote(binlog.toString())));
    }

    /**
     * A former master's own transactions are in its binlog but never in @@gtid_slave_pos (only
     * replication advances that), and without log_slave_updates neither are the ones it once
     * replicated: its binlog position is where it resumes, whatever it was before.
     */
    @Override
    public List<Sql> formerMasterGtidPosition(ServerFacts facts) {
        MariaDbGtidSet binlog = ((MariaDbGtidSet) facts.executedGtids()).position();
        if (binlog.isEmpty() || facts.replicaGtidPosition().map(binlog::equals).orElse(false)) {
            return List.of();
        }
        return List.of(Sql.plain("SET GLOBAL gtid_slave_pos = " + Sql.quote(binlog.toString())));
    }

    @Override
    public List<String> allowAdminWrites() {
        return List.of(); // no super_read_only: read_only never stops a SUPER / READ_ONLY ADMIN account
    }

    @Override
    public String gtidOrigin(ServerFacts facts) {
        return Long.toString(facts.serverId());
    }

    @Override
    public boolean hasSuperReadOnly() {
        return false;
    }
}
