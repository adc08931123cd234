package io.mhaserverless.core.mysql;

import java.time.Duration;
import java.util.List;

/**
 * Everything that differs between MySQL 8.4+, MySQL 8.0, MySQL 5.7 and MariaDB 10.x/11.x: the
 * statements, the column names and the GTID notation. Nothing outside this package spells a
 * replication statement; callers say what they want and the server's flavor says how.
 */
public sealed interface Flavor permits MariaDbFlavor, MySqlFlavor {

    /** Picks the flavor from {@code SELECT VERSION()}. */
    static Flavor of(String versionText) {
        ServerVersion v = ServerVersion.parse(versionText);
        if (v.mariaDb()) {
            if (v.major() < 10) {
                throw new UnsupportedServerException("MariaDB " + v + " is too old: 10.0 or later is needed (GTIDs)");
            }
            return new MariaDbFlavor(v);
        }
        if (v.major() > 8 || (v.major() == 8 && v.minor() >= 4)) {
            return new MySqlFlavor.MySql84(v);
        }
        if (v.major() == 8) {
            return new MySqlFlavor.MySql80(v);
        }
        if (v.major() == 5 && v.minor() == 7) {
            return new MySqlFlavor.MySql57(v);
        }
        throw new UnsupportedServerException("MySQL " + v + " is not supported: 5.7, 8.0, 8.4 or later is needed");
    }

    /** A short name for reports: {@code MariaDB 10.11}, {@code MySQL 8.4}. */
    String family();

    ServerVersion version();

    String showReplicaStatus();

    ReplicaStatus parseReplicaStatus(Row row);

    /** One row from which {@link #parseSourceContact(Row)} reads what the replica has heard from its source. */
    String sourceContactQuery();

    SourceContact parseSourceContact(Row row);

    /** One row of every variable {@link #parseServerFacts(Row)} needs. */
    String serverFactsQuery();

    ServerFacts parseServerFacts(Row row);

    String showBinlogStatus();

    default BinlogStatus parseBinlogStatus(Row row) {
        return BinlogStatus.from(row);
    }

    GtidSet parseGtidSet(String text);

    GtidSet emptyGtidSet();

    String startReplica();

    String stopReplica();

    String startIoThread();

    String stopIoThread();

    String startSqlThread();

    String stopSqlThread();

    String resetReplicaAll();

    Sql changeSource(SourceChange change);

    /** Statements that make the server refuse (on) or accept (off) writes from ordinary and privileged clients. */
    List<String> setReadOnly(boolean readOnly);

    /**
     * A single-value SELECT that waits until the server has applied {@code gtids}, for at most
     * {@code timeout}; {@link #gtidWaitSucceeded(long)} reads its result.
     */
    Sql waitForGtids(GtidSet gtids, Duration timeout);

    boolean gtidWaitSucceeded(long result);

    /**
     * A single-value SELECT that waits until the replica's SQL thread has applied its source's binlog
     * up to {@code position}, for at most {@code timeout}: a result ≥ 0 means done, -1 timed out,
     * NULL the SQL thread is not running.
     */
    Sql waitForPosition(BinlogCoordinates position, Duration timeout);

    /**
     * Statements to run on a stopped replica before it is pointed at a new source with GTID
     * auto-positioning, so that the new source resumes from everything the replica has.
     */
    List<Sql> alignReplicaGtidPosition(ServerFacts facts);

    /**
     * Statements that let the admin account apply binlog events to a read-only replica (read_only
     * itself stays ON, so ordinary clients still cannot write).
     */
    List<String> allowAdminWrites();

    /** Who first wrote a GTID of this server's own: MySQL's server_uuid, MariaDB's server_id. */
    String gtidOrigin(ServerFacts facts);

    /** Lets the SQL thread delete the relay logs it is done with (on), or keeps them for a failover (off). */
    default String setRelayLogPurge(boolean on) {
        return "SET GLOBAL relay_log_purge = " + (on ? 1 : 0);
    }

    /** Starts a new relay log; NO_WRITE_TO_BINLOG keeps the statement out of the replica's own binlog. */
    default String flushRelayLogs() {
        return "FLUSH NO_WRITE_TO_BINLOG RELAY LOGS";
    }

    /** Whether this family has a super_read_only that blocks SUPER users too. */
    boolean hasSuperReadOnly();

    /**
     * Bounds how long this session's next statement waits for a metadata or global lock: the
     * switchover's SET GLOBAL read_only must not hang behind a client's lock while writes are blocked.
     */
    default String boundLockWait(long seconds) {
        return "SET SESSION lock_wait_timeout = " + Math.max(1, seconds);
    }

    /**
     * The client sessions holding an open InnoDB transaction (column {@code id}), leaving out this
     * session, replication threads (both families' names: MySQL's Binlog Dump GTID, MariaDB's
     * Slave_* threads) and the server's own. A switchover ends them once read_only is ON: their
     * commits would fail anyway, and their locks would hold back the new master's catch-up.
     */
    default String clientTransactionsQuery() {
        return "SELECT t.trx_mysql_thread_id AS id, p.USER AS user, p.COMMAND AS command, p.TIME AS seconds"
                + " FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                + " WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND " + CLIENT_THREAD;
    }

    /**
     * Statements other than SELECT and SHOW that have been running on the server for longer than
     * {@code seconds} (MHA's running_updates_limit): a switchover would have to wait for them with
     * writes blocked. Columns {@code id}, {@code user}, {@code seconds}, {@code info}.
     */
    default String longRunningUpdatesQuery(long seconds) {
        return "SELECT p.ID AS id, p.USER AS user, p.TIME AS seconds, LEFT(p.INFO, 120) AS info"
                + " FROM information_schema.PROCESSLIST p WHERE p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Sleep', 'Killed')"
                + " AND " + CLIENT_THREAD + " AND p.TIME > " + Math.max(0, seconds) + " AND p.INFO IS NOT NULL"
                + " AND UPPER(LTRIM(p.INFO)) NOT LIKE 'SELECT%' AND UPPER(LTRIM(p.INFO)) NOT LIKE 'SHOW%'";
    }

    /** Ends a client's connection, rolling back its open transaction. */
    default String killConnection(long id) {
        return "KILL CONNECTION " + id;
    }

    /**
     * Statements to run on a former master, stopped as a replica, before it follows a new source with
     * GTID auto-positioning: it must resume after everything it wrote itself as master.
     */
    List<Sql> formerMasterGtidPosition(ServerFacts facts);

    /** The server's binlog files, oldest first (columns {@code Log_name}, {@code File_size}); the same in both families. */
    default String showBinaryLogs() {
        return "SHOW BINARY LOGS";
    }

    /**
     * At most {@code limit} events of one binlog file from {@code from} on (columns {@code Log_name},
     * {@code Pos}, {@code Event_type}, {@code End_log_pos}, {@code Info}); the same in both families.
     */
    default Sql binlogEvents(BinlogCoordinates from, int limit) {
        return Sql.plain("SHOW BINLOG EVENTS IN " + Sql.quote(from.file()) + " FROM " + from.position() + " LIMIT " + limit);
    }

    /**
     * Whether an event of this {@code Event_type} belongs to a transaction, rather than to the file's
     * own bookkeeping (header, rotation, GTID lists, checkpoints) that a restart writes by itself.
     */
    default boolean transactionEvent(String eventType) {
        return !BINLOG_BOOKKEEPING.contains(eventType);
    }

    /** Event types that carry no data: MySQL's and MariaDB's names together. */
    java.util.Set<String> BINLOG_BOOKKEEPING = java.util.Set.of("Format_desc", "Rotate", "Stop", "Previous_gtids", "Gtid_list",
            "Binlog_checkpoint", "Start_encryption", "Heartbeat", "Start_v3");

    /** Event types that open a transaction (and name its GTID in {@code Info}). */
    java.util.Set<String> TRANSACTION_START = java.util.Set.of("Gtid", "Anonymous_Gtid");

    /** A PROCESSLIST condition: a client's thread, not replication's nor the server's own. */
    String CLIENT_THREAD = "p.USER <> 'system user' AND p.COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon',"
            + " 'Slave_IO', 'Slave_SQL', 'Slave_worker', 'Connect')";

    static String seconds(Duration timeout) {
        return Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    }
}
