package io.mhaserverless.core.mysql;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Oracle MySQL (and Percona Server) 5.7, 8.0 and 8.4+: UUID GTID sets, auto-positioning,
 * WAIT_FOR_EXECUTED_GTID_SET, super_read_only. The three families differ in words, not in ideas:
 * 8.0.22/8.0.23 introduced the REPLICA / SOURCE statements and columns, 8.4 removed the old ones.
 */
public abstract sealed class MySqlFlavor implements Flavor permits MySqlFlavor.MySql84, MySqlFlavor.MySql80, MySqlFlavor.MySql57 {

    private final ServerVersion version;

    MySqlFlavor(ServerVersion version) {
        this.version = version;
    }

    /** MySQL 8.4 LTS and the 9.x releases: only the REPLICA / SOURCE vocabulary exists. */
    public static final class MySql84 extends MySqlFlavor {
        MySql84(ServerVersion version) {
            super(version);
        }

        @Override
        boolean replicaVocabulary() {
            return true;
        }

        @Override
        public String family() {
            return "MySQL " + version().major() + "." + version().minor();
        }

        @Override
        public String showBinlogStatus() {
            return "SHOW BINARY LOG STATUS";
        }

        @Override
        String logReplicaUpdatesVariable() {
            return "@@log_replica_updates";
        }
    }

    /**
     * MySQL 8.0 (and the 8.1–8.3 innovation releases): REPLICA / SOURCE statements from 8.0.23
     * (SHOW REPLICA STATUS from 8.0.22), the MASTER / SLAVE ones before.
     */
    public static final class MySql80 extends MySqlFlavor {
        MySql80(ServerVersion version) {
            super(version);
        }

        @Override
        boolean replicaVocabulary() {
            return version().atLeast(8, 0, 23);
        }

        @Override
        public String family() {
            return version().minor() == 0 ? "MySQL 8.0" : "MySQL 8." + version().minor();
        }

        @Override
        public String showBinlogStatus() {
            return "SHOW MASTER STATUS";
        }

        @Override
        String logReplicaUpdatesVariable() {
            return version().atLeast(8, 0, 26) ? "@@log_replica_updates" : "@@log_slave_updates";
        }
    }

    /** MySQL 5.7: the MASTER / SLAVE vocabulary, super_read_only from 5.7.8. */
    public static final class MySql57 extends MySqlFlavor {
        MySql57(ServerVersion version) {
            super(version);
        }

        @Override
        boolean replicaVocabulary() {
            return false;
        }

        @Override
        public String family() {
            return "MySQL 5.7";
        }

        @Override
        public String showBinlogStatus() {
            return "SHOW MASTER STATUS";
        }

        @Override
        String logReplicaUpdatesVariable() {
            return "@@log_slave_updates";
        }
    }

    /** True where START/STOP/RESET REPLICA and CHANGE REPLICATION SOURCE TO exist. */
    abstract boolean replicaVocabulary();

    abstract String logReplicaUpdatesVariable();

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public String showReplicaStatus() {
        return version.atLeast(8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    /** SHOW REPLICA STATUS has no heartbeat count; performance_schema has (5.7 and later). */
    @Override
    public String sourceContactQuery() {
        return "SELECT s.COUNT_RECEIVED_HEARTBEATS AS heartbeats, s.RECEIVED_TRANSACTION_SET AS received,"
                + " s.LAST_QUEUED_TRANSACTION AS last_queued, c.HEARTBEAT_INTERVAL AS period"
                + " FROM performance_schema.replication_connection_status s"
                + " JOIN performance_schema.replication_connection_configuration c USING (CHANNEL_NAME)"
                + " WHERE s.CHANNEL_NAME = ''";
    }

    @Override
    public SourceContact parseSourceContact(Row row) {
        double period = Double.parseDouble(row.get("period").filter(v -> !v.isBlank()).orElse("0"));
        return new SourceContact(row.number("heartbeats", 0), row.text("received") + ":" + row.text("last_queued"),
                Duration.ofMillis(Math.round(period * 1000)));
    }

    @Override
    public ReplicaStatus parseReplicaStatus(Row row) {
        // The server decides the column names by its version, not by our statement: read whichever it sent.
        StatusColumns columns = row.has("Source_Host") ? StatusColumns.REPLICA : StatusColumns.LEGACY;
        Optional<GtidSet> received = Optional.of(MySqlGtidSet.parse(row.text("Retrieved_Gtid_Set")));
        Optional<GtidSet> executed = Optional.of(MySqlGtidSet.parse(row.text("Executed_Gtid_Set")));
        return columns.parse(row, received, executed, row.flag("Auto_Position"));
    }

    @Override
    public String serverFactsQuery() {
        return "SELECT @@server_id AS server_id, @@version AS version, @@server_uuid AS server_uuid,"
                + " @@log_bin AS log_bin, @@log_bin_basename AS log_bin_basename,"
                + " " + logReplicaUpdatesVariable() + " AS log_replica_updates, @@relay_log_purge AS relay_log_purge,"
                + " @@read_only AS read_only, @@super_read_only AS super_read_only, @@gtid_mode AS gtid_mode,"
                + " @@global.gtid_executed AS executed_gtids, @@global.gtid_purged AS purged_gtids,"
                + " @@datadir AS datadir, @@relay_log_index AS relay_log_index";
    }

    @Override
    public ServerFacts parseServerFacts(Row row) {
        return new ServerFacts(
                row.number("server_id", 0),
                version,
                row.get("server_uuid"),
                row.flag("log_bin"),
                row.get("log_bin_basename").filter(s -> !s.isBlank()),
                row.flag("log_replica_updates"),
                row.flag("relay_log_purge"),
                row.flag("read_only"),
                Optional.of(row.flag("super_read_only")),
                row.get("gtid_mode"),
                MySqlGtidSet.parse(row.text("executed_gtids")),
                Optional.of(MySqlGtidSet.parse(row.text("purged_gtids"))),
                Optional.empty(),
                ServerFacts.relayLogIndex(row));
    }

    @Override
    public GtidSet parseGtidSet(String text) {
        return MySqlGtidSet.parse(text);
    }

    @Override
    public GtidSet emptyGtidSet() {
        return MySqlGtidSet.empty();
    }

    private String replica() {
        return replicaVocabulary() ? "REPLICA" : "SLAVE";
    }

    @Override
    public String startReplica() {
        return "START " + replica();
    }

    @Override
    public String stopReplica() {
        return "STOP " + replica();
    }

    @Override
    public String startIoThread() {
        return "START " + replica() + " IO_THREAD";
    }

    @Override
    public String stopIoThread() {
        return "STOP " + replica() + " IO_THREAD";
    }

    @Override
    public String startSqlThread() {
        return "START " + replica() + " SQL_THREAD";
    }

    @Override
    public String stopSqlThread() {
        return "STOP " + replica() + " SQL_THREAD";
    }

    @Override
    public String resetReplicaAll() {
        return "RESET " + replica() + " ALL";
    }

    @Override
    public Sql changeSource(SourceChange change) {
        String w = replicaVocabulary() ? "SOURCE" : "MASTER";
        String head = (replicaVocabulary() ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
                + w + "_HOST=" + Sql.quote(change.host()) + ", " + w + "_PORT=" + change.port()
                + ", " + w + "_USER=" + Sql.quote(change.user()) + ", " + w + "_PASSWORD=";
        String tail = ", " + w + "_CONNECT_RETRY=1" + change.start()
                .map(start -> ", " + w + "_LOG_FILE=" + Sql.quote(start.file()) + ", " + w + "_LOG_POS=" + start.position()
                        + ", " + w + "_AUTO_POSITION=0")
                .orElse(", " + w + "_AUTO_POSITION=1");
        // caching_sha2_password (the 8.x default) needs TLS or the source's RSA key to log in
        if (version.major() >= 8) {
            tail += ", GET_" + w + "_PUBLIC_KEY=1";
        }
        return new Sql(head + Sql.quote(change.password()) + tail, head + "'***'" + tail);
    }

    @Override
    public List<String> setReadOnly(boolean readOnly) {
        // super_read_only=ON implies read_only=ON; read_only=OFF implies super_read_only=OFF.
        return List.of(readOnly ? "SET GLOBAL super_read_only = ON" : "SET GLOBAL read_only = OFF");
    }

    @Override
    public Sql waitForGtids(GtidSet gtids, Duration timeout) {
        return Sql.plain("SELECT WAIT_FOR_EXECUTED_GTID_SET(" + Sql.quote(gtids.toString()) + ", " + Flavor.seconds(timeout) + ")");
    }

    @Override
    public Sql waitForPosition(BinlogCoordinates position, Duration timeout) {
        // SOURCE_POS_WAIT from 8.0.26; MASTER_POS_WAIT before (and removed in 8.4)
        String function = version().atLeast(8, 0, 26) ? "SOURCE_POS_WAIT" : "MASTER_POS_WAIT";
        return Sql.plain("SELECT " + function + "(" + Sql.quote(position.file()) + ", " + position.position() + ", "
                + Flavor.seconds(timeout) + ")");
    }

    @Override
    public boolean gtidWaitSucceeded(long result) {
        return result == 0; // 1 on timeout
    }

    @Override
    public List<Sql> alignReplicaGtidPosition(ServerFacts facts) {
        return List.of(); // gtid_executed is all auto-positioning needs
    }

    @Override
    public List<Sql> formerMasterGtidPosition(ServerFacts facts) {
        return List.of(); // gtid_executed already holds what it wrote as master
    }

    @Override
    public List<String> allowAdminWrites() {
        return List.of("SET GLOBAL super_read_only = OFF"); // read_only stays ON
    }

    @Override
    public String gtidOrigin(ServerFacts facts) {
        return facts.serverUuid().orElse("");
    }

    @Override
    public boolean hasSuperReadOnly() {
        return true;
    }

    @Override
    public String toString() {
        return family() + " (" + version + ")";
    }
}
