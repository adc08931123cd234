package io.mhaserverless.core.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.mysql.ReplicaStatus.IoThreadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlavorTest {

    private static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String U2 = "7b3f1c52-0c4b-11ef-8a5d-0242ac120003";
    private static final String U3 = "d1b2c3e4-5f60-11ef-9abc-0242ac120004";
    private static final String PASSWORD = "s3cr3t-pw";

    private static final Flavor MYSQL_84 = Flavor.of("8.4.3");
    private static final Flavor MYSQL_8035 = Flavor.of("8.0.35");
    private static final Flavor MYSQL_8019 = Flavor.of("8.0.19");
    private static final Flavor MYSQL_57 = Flavor.of("5.7.44-log");
    private static final Flavor MARIADB = Flavor.of("10.11.19-MariaDB-0+deb12u1-log");

    static Stream<Flavor> allFlavors() {
        return Stream.of(MYSQL_84, Flavor.of("9.1.0"), MYSQL_8035, Flavor.of("8.0.22"), MYSQL_8019, MYSQL_57, MARIADB,
                Flavor.of("11.4.5-MariaDB"));
    }

    @Nested
    class ChoosingTheFlavor {

        @ParameterizedTest
        @CsvSource({
                "10.11.19-MariaDB-0+deb12u1-log, MariaDbFlavor, MariaDB 10.11, 10, 11, 19",
                "5.5.5-10.6.12-MariaDB,          MariaDbFlavor, MariaDB 10.6,  10, 6,  12",
                "11.4.5-MariaDB,                 MariaDbFlavor, MariaDB 11.4,  11, 4,  5",
                "8.4.3,                          MySql84,       MySQL 8.4,     8,  4,  3",
                "9.1.0,                          MySql84,       MySQL 9.1,     9,  1,  0",
                "8.0.36-28,                      MySql80,       MySQL 8.0,     8,  0,  36",
                "8.0.19,                         MySql80,       MySQL 8.0,     8,  0,  19",
                "8.2.0,                          MySql80,       MySQL 8.2,     8,  2,  0",
                "5.7.44-log,                     MySql57,       MySQL 5.7,     5,  7,  44",
        })
        void picksTheFamilyFromTheVersionString(String version, String flavorClass, String family, int major, int minor,
                                                int patch) {
            Flavor flavor = Flavor.of(version);

            assertThat(flavor.getClass().getSimpleName()).isEqualTo(flavorClass);
            assertThat(flavor.family()).isEqualTo(family);
            assertThat(flavor.version().text()).isEqualTo(version);
            assertThat(List.of(flavor.version().major(), flavor.version().minor(), flavor.version().patch()))
                    .containsExactly(major, minor, patch);
        }

        @Test
        void mySqlFlavorNamesFamilyAndVersionForReports() {
            assertThat(MYSQL_84).hasToString("MySQL 8.4 (8.4.3)");
            assertThat(Flavor.of("8.0.36-28")).hasToString("MySQL 8.0 (8.0.36-28)");
        }

        @Test
        void mySql56IsRefusedNamingTheVersionsThatAreSupported() {
            assertThatThrownBy(() -> Flavor.of("5.6.51"))
                    .isInstanceOf(UnsupportedServerException.class)
                    .hasMessage("MySQL 5.6.51 is not supported: 5.7, 8.0, 8.4 or later is needed");
        }

        @Test
        void mariaDb55IsRefusedAsTooOldForGtids() {
            assertThatThrownBy(() -> Flavor.of("5.5.68-MariaDB"))
                    .isInstanceOf(UnsupportedServerException.class)
                    .hasMessage("MariaDB 5.5.68-MariaDB is too old: 10.0 or later is needed (GTIDs)");
        }

        @Test
        void textThatIsNoVersionIsRefusedQuotingIt() {
            assertThatThrownBy(() -> Flavor.of("garbage"))
                    .isInstanceOf(UnsupportedServerException.class)
                    .hasMessage("not a MySQL or MariaDB version: 'garbage'");
        }

        @Test
        void aMissingVersionIsRefused() {
            assertThatThrownBy(() -> Flavor.of(null))
                    .isInstanceOf(UnsupportedServerException.class)
                    .hasMessage("the server reported no version");
        }
    }

    @Nested
    class Statements {

        @Test
        void theDelayOfADelayedReplicaIsRead() {
            assertThat(MARIADB.parseReplicaStatus(io.mhaserverless.core.mysql.Row.of(Map.of("Master_Host", "h", "SQL_Delay", "3600")))
                    .sqlDelaySeconds()).isEqualTo(3600);
            assertThat(MYSQL_84.parseReplicaStatus(io.mhaserverless.core.mysql.Row.of(Map.of("Source_Host", "h", "SQL_Delay", "60")))
                    .sqlDelaySeconds()).isEqualTo(60);
            assertThat(MYSQL_84.parseReplicaStatus(StatusFixtures.row("mysql-8.4-show-replica-status.txt")).sqlDelaySeconds()).isZero();
        }

        @Test
        void waitForABinlogPositionUsesEachFamilysFunction() {
            BinlogCoordinates at = new BinlogCoordinates("mysql-bin.000007", 1234);
            assertThat(MARIADB.waitForPosition(at, java.time.Duration.ofSeconds(30)).text())
                    .isEqualTo("SELECT MASTER_POS_WAIT('mysql-bin.000007', 1234, 30)");
            assertThat(MYSQL_84.waitForPosition(at, java.time.Duration.ofSeconds(30)).text())
                    .isEqualTo("SELECT SOURCE_POS_WAIT('mysql-bin.000007', 1234, 30)");
            assertThat(MYSQL_8019.waitForPosition(at, java.time.Duration.ofSeconds(30)).text())
                    .isEqualTo("SELECT MASTER_POS_WAIT('mysql-bin.000007', 1234, 30)");
        }

        @Test
        void applyingBinlogsToAReadOnlyReplicaLiftsOnlySuperReadOnly() {
            assertThat(MYSQL_84.allowAdminWrites()).containsExactly("SET GLOBAL super_read_only = OFF");
            assertThat(MYSQL_57.allowAdminWrites()).containsExactly("SET GLOBAL super_read_only = OFF");
            assertThat(MARIADB.allowAdminWrites()).as("read_only never stops MariaDB's admin").isEmpty();
        }

        /** purge-relay-logs of the node agent: its replica check is each family's status statement, the purge statements are spelt alike. */
        @ParameterizedTest
        @CsvSource({"8.4.3, SHOW REPLICA STATUS", "8.0.35, SHOW REPLICA STATUS", "5.7.44-log, SHOW SLAVE STATUS",
                "10.11.19-MariaDB-0+deb12u1-log, SHOW SLAVE STATUS"})
        void theNodeAgentsRelayLogPurgeStatements(String version, String replicaStatus) {
            Flavor f = Flavor.of(version);
            assertThat(f.showReplicaStatus()).isEqualTo(replicaStatus);
            assertThat(List.of(f.setRelayLogPurge(true), f.setRelayLogPurge(false), f.flushRelayLogs())).containsExactly(
                    "SET GLOBAL relay_log_purge = 1", "SET GLOBAL relay_log_purge = 0", "FLUSH NO_WRITE_TO_BINLOG RELAY LOGS");
        }

        record Expected(Flavor flavor, String showStatus, String start, String stop, String startIo, String stopIo,
                        String startSql, String stopSql, String reset, String binlogStatus) {
        }

        static Stream<Expected> vocabulary() {
            return Stream.of(
                    new Expected(MYSQL_84, "SHOW REPLICA STATUS", "START REPLICA", "STOP REPLICA",
                            "START REPLICA IO_THREAD", "STOP REPLICA IO_THREAD", "START REPLICA SQL_THREAD",
                            "STOP REPLICA SQL_THREAD", "RESET REPLICA ALL", "SHOW BINARY LOG STATUS"),
                    new Expected(Flavor.of("9.1.0"), "SHOW REPLICA STATUS", "START REPLICA", "STOP REPLICA",
                            "START REPLICA IO_THREAD", "STOP REPLICA IO_THREAD", "START REPLICA SQL_THREAD",
                            "STOP REPLICA SQL_THREAD", "RESET REPLICA ALL", "SHOW BINARY LOG STATUS"),
                    new Expected(MYSQL_8035, "SHOW REPLICA STATUS", "START REPLICA", "STOP REPLICA",
                            "START REPLICA IO_THREAD", "STOP REPLICA IO_THREAD", "START REPLICA SQL_THREAD",
                            "STOP REPLICA SQL_THREAD", "RESET REPLICA ALL", "SHOW MASTER STATUS"),
                    // 8.0.22 has SHOW REPLICA STATUS; the REPLICA / SOURCE statements are used from 8.0.23
                    new Expected(Flavor.of("8.0.22"), "SHOW REPLICA STATUS", "START SLAVE", "STOP SLAVE",
                            "START SLAVE IO_THREAD", "STOP SLAVE IO_THREAD", "START SLAVE SQL_THREAD",
                            "STOP SLAVE SQL_THREAD", "RESET SLAVE ALL", "SHOW MASTER STATUS"),
                    new Expected(Flavor.of("8.0.23"), "SHOW REPLICA STATUS", "START REPLICA", "STOP REPLICA",
                            "START REPLICA IO_THREAD", "STOP REPLICA IO_THREAD", "START REPLICA SQL_THREAD",
                            "STOP REPLICA SQL_THREAD", "RESET REPLICA ALL", "SHOW MASTER STATUS"),
                    new Expected(Flavor.of("8.0.21"), "SHOW SLAVE STATUS", "START SLAVE", "STOP SLAVE",
                            "START SLAVE IO_THREAD", "STOP SLAVE IO_THREAD", "START SLAVE SQL_THREAD",
                            "STOP SLAVE SQL_THREAD", "RESET SLAVE ALL", "SHOW MASTER STATUS"),
                    new Expected(MYSQL_57, "SHOW SLAVE STATUS", "START SLAVE", "STOP SLAVE",
                            "START SLAVE IO_THREAD", "STOP SLAVE IO_THREAD", "START SLAVE SQL_THREAD",
                            "STOP SLAVE SQL_THREAD", "RESET SLAVE ALL", "SHOW MASTER STATUS"),
                    new Expected(MARIADB, "SHOW SLAVE STATUS", "START SLAVE", "STOP SLAVE",
                            "START SLAVE IO_THREAD", "STOP SLAVE IO_THREAD", "START SLAVE SQL_THREAD",
                            "STOP SLAVE SQL_THREAD", "RESET SLAVE ALL", "SHOW MASTER STATUS"));
        }

        @ParameterizedTest
        @MethodSource("vocabulary")
        void eachFlavorSpellsTheReplicaStatementsItsOwnWay(Expected e) {
            Flavor f = e.flavor();
            assertThat(List.of(f.showReplicaStatus(), f.startReplica(), f.stopReplica(), f.startIoThread(),
                    f.stopIoThread(), f.startSqlThread(), f.stopSqlThread(), f.resetReplicaAll(), f.showBinlogStatus()))
                    .containsExactly(e.showStatus(), e.start(), e.stop(), e.startIo(), e.stopIo(), e.startSql(),
                            e.stopSql(), e.reset(), e.binlogStatus());
        }

        static Stream<Arguments> changeSourceStatements() {
            BinlogCoordinates start = new BinlogCoordinates("mysql-bin.000012", 4231);
            return Stream.of(
                    Arguments.of(MYSQL_84, null,
                            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.1.12', SOURCE_PORT=3306, SOURCE_USER='repl',"
                                    + " SOURCE_PASSWORD='s3cr3t-pw', SOURCE_CONNECT_RETRY=1, SOURCE_AUTO_POSITION=1,"
                                    + " GET_SOURCE_PUBLIC_KEY=1"),
                    Arguments.of(MYSQL_84, start,
                            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.1.12', SOURCE_PORT=3306, SOURCE_USER='repl',"
                                    + " SOURCE_PASSWORD='s3cr3t-pw', SOURCE_CONNECT_RETRY=1,"
                                    + " SOURCE_LOG_FILE='mysql-bin.000012', SOURCE_LOG_POS=4231, SOURCE_AUTO_POSITION=0,"
                                    + " GET_SOURCE_PUBLIC_KEY=1"),
                    Arguments.of(MYSQL_8035, null,
                            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.1.12', SOURCE_PORT=3306, SOURCE_USER='repl',"
                                    + " SOURCE_PASSWORD='s3cr3t-pw', SOURCE_CONNECT_RETRY=1, SOURCE_AUTO_POSITION=1,"
                                    + " GET_SOURCE_PUBLIC_KEY=1"),
                    Arguments.of(MYSQL_8019, null,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1, MASTER_AUTO_POSITION=1,"
                                    + " GET_MASTER_PUBLIC_KEY=1"),
                    Arguments.of(MYSQL_8019, start,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1,"
                                    + " MASTER_LOG_FILE='mysql-bin.000012', MASTER_LOG_POS=4231, MASTER_AUTO_POSITION=0,"
                                    + " GET_MASTER_PUBLIC_KEY=1"),
                    Arguments.of(MYSQL_57, null,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1, MASTER_AUTO_POSITION=1"),
                    Arguments.of(MYSQL_57, start,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1,"
                                    + " MASTER_LOG_FILE='mysql-bin.000012', MASTER_LOG_POS=4231, MASTER_AUTO_POSITION=0"),
                    Arguments.of(MARIADB, null,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos"),
                    Arguments.of(MARIADB, start,
                            "CHANGE MASTER TO MASTER_HOST='10.0.1.12', MASTER_PORT=3306, MASTER_USER='repl',"
                                    + " MASTER_PASSWORD='s3cr3t-pw', MASTER_CONNECT_RETRY=1,"
                                    + " MASTER_LOG_FILE='mysql-bin.000012', MASTER_LOG_POS=4231, MASTER_USE_GTID=no"));
        }

        private static SourceChange change(String password, BinlogCoordinates start) {
            SourceChange.Positioning positioning = start == null
                    ? new SourceChange.GtidAutoPosition() : new SourceChange.FilePosition(start);
            return new SourceChange("10.0.1.12", 3306, "repl", password, positioning);
        }

        @ParameterizedTest
        @MethodSource("changeSourceStatements")
        void changeSourceSaysHostPortUserPasswordAndPositioning(Flavor flavor, BinlogCoordinates start, String expected) {
            Sql sql = flavor.changeSource(change(PASSWORD, start));

            assertThat(sql.text()).isEqualTo(expected);
        }

        @ParameterizedTest
        @MethodSource("changeSourceStatements")
        void changeSourceLogsTheStatementWithThePasswordMasked(Flavor flavor, BinlogCoordinates start, String expected) {
            Sql sql = flavor.changeSource(change(PASSWORD, start));

            assertThat(sql.loggable()).isEqualTo(expected.replace("'" + PASSWORD + "'", "'***'"));
            assertThat(sql.loggable()).doesNotContain(PASSWORD);
            assertThat(sql.toString()).isEqualTo(sql.loggable());
        }

        @ParameterizedTest
        @MethodSource("io.mhaserverless.core.mysql.FlavorTest#allFlavors")
        void aPasswordWithQuotesAndBackslashesIsEscapedInTheStatementAndAbsentFromTheLog(Flavor flavor) {
            String password = "it's\\a'secret";
            Sql sql = flavor.changeSource(change(password, null));

            assertThat(sql.text()).contains("_PASSWORD='it''s\\\\a''secret',");
            assertThat(sql.loggable()).contains("_PASSWORD='***',")
                    .doesNotContain("it's").doesNotContain("it''s").doesNotContain("secret");
        }

        @Test
        void sqlQuoteDoublesQuotesAndBackslashes() {
            assertThat(Sql.quote("plain")).isEqualTo("'plain'");
            assertThat(Sql.quote("O'Brien")).isEqualTo("'O''Brien'");
            assertThat(Sql.quote("C:\\dir\\")).isEqualTo("'C:\\\\dir\\\\'");
            assertThat(Sql.quote("\\'")).isEqualTo("'\\\\'''");
        }

        @Test
        void aPlainStatementLogsAsItIs() {
            Sql sql = Sql.plain("STOP REPLICA");
            assertThat(sql.text()).isEqualTo("STOP REPLICA");
            assertThat(sql.loggable()).isEqualTo("STOP REPLICA");
        }

        @Test
        void mySqlTurnsReadOnlyOnWithSuperReadOnlyAndOffWithReadOnly() {
            for (Flavor f : List.of(MYSQL_84, MYSQL_8035, MYSQL_8019, MYSQL_57)) {
                assertThat(f.setReadOnly(true)).as(f.family()).containsExactly("SET GLOBAL super_read_only = ON");
                assertThat(f.setReadOnly(false)).as(f.family()).containsExactly("SET GLOBAL read_only = OFF");
                assertThat(f.hasSuperReadOnly()).isTrue();
            }
        }

        @Test
        void mariaDbHasOnlyReadOnly() {
            assertThat(MARIADB.setReadOnly(true)).containsExactly("SET GLOBAL read_only = ON");
            assertThat(MARIADB.setReadOnly(false)).containsExactly("SET GLOBAL read_only = OFF");
            assertThat(MARIADB.hasSuperReadOnly()).isFalse();
        }

        @Test
        void mySqlWaitsWithWaitForExecutedGtidSetOnTheCanonicalSet() {
            GtidSet gtids = MYSQL_84.parseGtidSet(U2 + ":1-3,\n" + U1 + ":1-5:etl:1-2");

            Sql wait = MYSQL_84.waitForGtids(gtids, Duration.ofSeconds(10));

            assertThat(wait.text()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + U1 + ":1-5:etl:1-2," + U2 + ":1-3', 10)");
            assertThat(wait.loggable()).isEqualTo(wait.text());
            assertThat(MYSQL_84.gtidWaitSucceeded(0)).isTrue();
            assertThat(MYSQL_84.gtidWaitSucceeded(1)).as("1 = timeout").isFalse();
        }

        @Test
        void mariaDbWaitsWithMasterGtidWaitOnOneGtidPerDomain() {
            GtidSet state = MARIADB.parseGtidSet("0-1-100,0-2-101,1-1-7");

            Sql wait = MARIADB.waitForGtids(state, Duration.ofSeconds(10));

            assertThat(wait.text()).isEqualTo("SELECT MASTER_GTID_WAIT('0-2-101,1-1-7', 10)");
            assertThat(MARIADB.gtidWaitSucceeded(0)).isTrue();
            assertThat(MARIADB.gtidWaitSucceeded(-1)).as("-1 = timeout").isFalse();
        }

        @ParameterizedTest
        @CsvSource({"0, 1", "1, 1", "999, 1", "1000, 1", "1001, 2", "1500, 2", "30000, 30"})
        void gtidWaitTimeoutIsRoundedUpToWholeSecondsAndAtLeastOne(long millis, String seconds) {
            assertThat(Flavor.seconds(Duration.ofMillis(millis))).isEqualTo(seconds);
            assertThat(MYSQL_84.waitForGtids(MYSQL_84.parseGtidSet(U1 + ":1"), Duration.ofMillis(millis)).text())
                    .endsWith(", " + seconds + ")");
        }

        @Test
        void mySqlServerFactsReadLogReplicaUpdatesUnderTheNameTheVersionKnows() {
            assertThat(MYSQL_84.serverFactsQuery()).contains("@@log_replica_updates AS log_replica_updates");
            assertThat(Flavor.of("8.0.26").serverFactsQuery()).contains("@@log_replica_updates AS log_replica_updates");
            assertThat(Flavor.of("8.0.25").serverFactsQuery()).contains("@@log_slave_updates AS log_replica_updates");
            assertThat(MYSQL_57.serverFactsQuery()).contains("@@log_slave_updates AS log_replica_updates");
            assertThat(MYSQL_84.serverFactsQuery())
                    .contains("@@super_read_only AS super_read_only", "@@global.gtid_executed AS executed_gtids");
        }

        @Test
        void mariaDbServerFactsReadTheBinlogStateAndSlavePosAndNoSuperReadOnly() {
            assertThat(MARIADB.serverFactsQuery())
                    .contains("@@gtid_binlog_state AS executed_gtids", "@@gtid_slave_pos AS replica_gtid_position",
                            "@@log_slave_updates AS log_replica_updates")
                    .doesNotContain("super_read_only", "gtid_mode", "server_uuid");
        }

        @Test
        void eachFlavorParsesGtidsInItsOwnNotation() {
            assertThat(MYSQL_84.parseGtidSet(U1 + ":1-5")).isInstanceOf(MySqlGtidSet.class);
            assertThat(MYSQL_84.emptyGtidSet()).isInstanceOf(MySqlGtidSet.class).matches(GtidSet::isEmpty);
            assertThat(MARIADB.parseGtidSet("0-1-5")).isInstanceOf(MariaDbGtidSet.class);
            assertThat(MARIADB.emptyGtidSet()).isInstanceOf(MariaDbGtidSet.class).matches(GtidSet::isEmpty);
            assertThatThrownBy(() -> MARIADB.parseGtidSet(U1 + ":1-5")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MYSQL_84.parseGtidSet("0-1-5")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ReplicaStatusParsing {

        @Test
        void mySql84HealthyReplica() {
            ReplicaStatus s = MYSQL_84.parseReplicaStatus(StatusFixtures.row("mysql-8.4-show-replica-status.txt"));

            assertThat(s.sourceHost()).isEqualTo("10.0.1.11");
            assertThat(s.sourcePort()).isEqualTo(3306);
            assertThat(s.sourceAddress()).isEqualTo("10.0.1.11:3306");
            assertThat(s.sourceUser()).isEqualTo("repl");
            assertThat(s.sourceServerId()).isEqualTo(11);
            assertThat(s.ioThread()).isEqualTo(IoThreadState.RUNNING);
            assertThat(s.ioThreadRunning()).isTrue();
            assertThat(s.sqlThreadRunning()).isTrue();
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("mysql-bin.000012", 4231));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("mysql-bin.000012", 4011));
            assertThat(s.relay()).isEqualTo(new BinlogCoordinates("db2-relay-bin.000007", 1467));
            assertThat(s.secondsBehindSource()).isEqualTo(OptionalLong.of(2));
            assertThat(s.lastIoErrno()).isZero();
            assertThat(s.lastIoError()).isEmpty();
            assertThat(s.lastSqlErrno()).isZero();
            assertThat(s.lastSqlError()).isEmpty();
            assertThat(s.receivedGtids()).map(Object::toString).contains(U1 + ":1000-1042:etl:1-3");
            assertThat(s.executedGtids()).map(Object::toString).contains(U1 + ":1-1040:etl:1-3," + U2 + ":1-17");
            assertThat(s.gtidPositioning()).isTrue();
            assertThat(s.filters()).isEqualTo(ReplicationFilters.NONE);
            assertThat(s.filters()).hasToString("no filters");
        }

        @Test
        void mySql8035ReplicaWithFiltersAndGtidSetsSeparatedBothWays() {
            ReplicaStatus s = MYSQL_8035.parseReplicaStatus(StatusFixtures.row("mysql-8.0.35-show-replica-status.txt"));

            assertThat(s.sourceAddress()).isEqualTo("db1.prod.internal:3307");
            assertThat(s.sourceUser()).isEqualTo("replicator");
            assertThat(s.sourceServerId()).isEqualTo(101);
            assertThat(s.ioThread()).isEqualTo(IoThreadState.RUNNING);
            assertThat(s.sqlThreadRunning()).isTrue();
            assertThat(s.sqlThreadState()).isEqualTo("Replica has read all relay log; waiting for more updates");
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("binlog.000123", 98765432));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("binlog.000123", 98765432));
            assertThat(s.relay()).isEqualTo(new BinlogCoordinates("relay-log.000045", 98765650));
            assertThat(s.secondsBehindSource()).isEqualTo(OptionalLong.of(0));
            assertThat(s.receivedGtids()).map(Object::toString).contains(U1 + ":5001-9100");
            assertThat(s.executedGtids()).map(Object::toString)
                    .contains(U1 + ":1-9100," + U2 + ":1-17," + U3 + ":1-2");
            assertThat(s.gtidPositioning()).isTrue();
            assertThat(s.filters()).isEqualTo(new ReplicationFilters("", "scratch,audit_tmp", "", "", "", "tmp.%"));
            assertThat(s.filters()).hasToString("Replicate_Ignore_DB=scratch,audit_tmp, Replicate_Wild_Ignore_Table=tmp.%");
        }

        @Test
        void mySql8019SlaveStatusWithMasterColumnsAndFilePositioning() {
            Row row = StatusFixtures.row("mysql-8.0.19-show-slave-status.txt");
            assertThat(row.has("Source_Host")).isFalse();

            ReplicaStatus s = MYSQL_8019.parseReplicaStatus(row);

            assertThat(s.sourceAddress()).isEqualTo("10.0.3.31:3306");
            assertThat(s.sourceUser()).isEqualTo("repl_old");
            assertThat(s.sourceServerId()).isEqualTo(31);
            assertThat(s.ioThread()).isEqualTo(IoThreadState.RUNNING);
            assertThat(s.sqlThreadRunning()).isTrue();
            assertThat(s.sqlThreadState()).isEqualTo("Slave has read all relay log; waiting for more updates");
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("db1-bin.000002", 1535));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("db1-bin.000002", 1535));
            assertThat(s.relay()).isEqualTo(new BinlogCoordinates("db3-relay-bin.000003", 1702));
            assertThat(s.secondsBehindSource()).isEqualTo(OptionalLong.of(0));
            assertThat(s.receivedGtids()).hasValueSatisfying(g -> assertThat(g.isEmpty()).isTrue());
            assertThat(s.executedGtids()).hasValueSatisfying(g -> assertThat(g.isEmpty()).isTrue());
            assertThat(s.gtidPositioning()).isFalse();
            assertThat(s.filters()).isEqualTo(new ReplicationFilters("app", "", "", "app.sessions", "", ""));
        }

        @Test
        void mySql57LaggingReplicaWhoseApplierIsAFileBehind() {
            ReplicaStatus s = MYSQL_57.parseReplicaStatus(StatusFixtures.row("mysql-5.7.44-show-slave-status.txt"));

            assertThat(s.sourceAddress()).isEqualTo("10.0.4.41:3316");
            assertThat(s.sourceUser()).isEqualTo("repl57");
            assertThat(s.sourceServerId()).isEqualTo(41);
            assertThat(s.ioThread()).isEqualTo(IoThreadState.RUNNING);
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("mysql-bin.000099", 7340032));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("mysql-bin.000098", 104857600));
            assertThat(s.executed()).isLessThan(s.received());
            assertThat(s.relay()).isEqualTo(new BinlogCoordinates("mysqld-relay-bin.000201", 512));
            assertThat(s.secondsBehindSource()).isEqualTo(OptionalLong.of(125));
            assertThat(s.receivedGtids()).map(Object::toString).contains("c8a1f7d2-9e4b-11e6-8f1a-080027c8f3b9:310000-352114");
            assertThat(s.executedGtids()).map(Object::toString)
                    .contains("c8a1f7d2-9e4b-11e6-8f1a-080027c8f3b9:1-351876,e2b5d6c1-9e4b-11e6-8f1a-080027c8f3ba:1-4");
            assertThat(s.gtidPositioning()).isTrue();
            assertThat(s.filters()).isEqualTo(ReplicationFilters.NONE);
        }

        @Test
        void mySqlReplicaOfADeadSourceIsConnectingWithErrorsAndNoLag() {
            ReplicaStatus s = MYSQL_84.parseReplicaStatus(
                    StatusFixtures.row("mysql-8.4-show-replica-status-source-down.txt"));

            assertThat(s.ioThread()).isEqualTo(IoThreadState.CONNECTING);
            assertThat(s.ioThreadRunning()).isFalse();
            assertThat(s.sqlThreadRunning()).isFalse();
            assertThat(s.secondsBehindSource()).isEmpty();
            assertThat(s.lastIoErrno()).isEqualTo(2003);
            assertThat(s.lastIoError()).startsWith("Error connecting to source 'repl@10.0.1.11:3306'.")
                    .endsWith("Can't connect to MySQL server on '10.0.1.11:3306' (111)");
            assertThat(s.lastSqlErrno()).isEqualTo(1062);
            assertThat(s.lastSqlError()).startsWith("Coordinator stopped because there were error(s) in the worker(s).");
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("mysql-bin.000012", 4231));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("mysql-bin.000012", 3950));
            assertThat(s.executedGtids()).map(Object::toString).contains(U1 + ":1-1040:etl:1-3," + U2 + ":1-17");
            assertThat(s.sourceAddress()).isEqualTo("10.0.1.11:3306");
        }

        @Test
        void mariaDbReplicaUsingSlavePos() {
            ReplicaStatus s = MARIADB.parseReplicaStatus(StatusFixtures.row("mariadb-10.11-show-slave-status.txt"));

            assertThat(s.sourceAddress()).isEqualTo("10.0.2.21:3306");
            assertThat(s.sourceUser()).isEqualTo("repl");
            assertThat(s.sourceServerId()).isEqualTo(21);
            assertThat(s.ioThread()).isEqualTo(IoThreadState.RUNNING);
            assertThat(s.sqlThreadRunning()).isTrue();
            assertThat(s.sqlThreadState()).isEqualTo("Slave has read all relay log; waiting for more updates");
            assertThat(s.received()).isEqualTo(new BinlogCoordinates("mariadb-bin.000031", 8812));
            assertThat(s.executed()).isEqualTo(new BinlogCoordinates("mariadb-bin.000031", 8812));
            assertThat(s.relay()).isEqualTo(new BinlogCoordinates("mariadb-relay-bin.000004", 1210));
            assertThat(s.secondsBehindSource()).isEqualTo(OptionalLong.of(0));
            assertThat(s.lastIoErrno()).isZero();
            assertThat(s.lastSqlErrno()).isZero();
            assertThat(s.receivedGtids()).hasValueSatisfying(g -> {
                assertThat(g).isInstanceOf(MariaDbGtidSet.class);
                assertThat(g).hasToString("0-21-2045,1-21-77");
            });
            assertThat(s.executedGtids()).as("MariaDB reports it as @@gtid_slave_pos").isEmpty();
            assertThat(s.gtidPositioning()).isTrue();
            assertThat(s.filters()).isEqualTo(new ReplicationFilters("", "", "", "", "", "scratch.%"));
        }

        @ParameterizedTest
        @CsvSource({"Slave_Pos, true", "Current_Pos, true", "No, false", "'', false"})
        void mariaDbGtidPositioningIsUsingGtidOtherThanNo(String usingGtid, boolean expected) {
            Map<String, String> columns = StatusFixtures.columns("mariadb-10.11-show-slave-status.txt").get(0);
            columns.put("Using_Gtid", usingGtid);

            assertThat(MARIADB.parseReplicaStatus(Row.of(columns)).gtidPositioning()).isEqualTo(expected);
        }

        @Test
        void mariaDbWithoutAGtidIoPosHasNoReceivedGtids() {
            Map<String, String> columns = StatusFixtures.columns("mariadb-10.11-show-slave-status.txt").get(0);
            columns.put("Using_Gtid", "No");
            columns.put("Gtid_IO_Pos", "");

            assertThat(MARIADB.parseReplicaStatus(Row.of(columns)).receivedGtids()).isEmpty();
        }

        @Test
        void aMySqlFlavorReadsWhicheverColumnNamesTheServerSent() {
            Row replicaNames = StatusFixtures.row("mysql-8.0.35-show-replica-status.txt");

            assertThat(MYSQL_8019.parseReplicaStatus(replicaNames)).isEqualTo(MYSQL_8035.parseReplicaStatus(replicaNames));
            assertThat(MYSQL_8035.parseReplicaStatus(replicaNames).sourceHost()).isEqualTo("db1.prod.internal");
        }

        @ParameterizedTest
        @CsvSource({"Yes, RUNNING", "Connecting, CONNECTING", "Preparing, CONNECTING", "No, STOPPED", "'', STOPPED",
                "' yes ', RUNNING"})
        void ioThreadStateFromSlaveIoRunning(String value, IoThreadState expected) {
            assertThat(IoThreadState.parse(value)).isEqualTo(expected);
        }

        @Test
        void aMissingIoRunningValueMeansStopped() {
            assertThat(IoThreadState.parse(null)).isEqualTo(IoThreadState.STOPPED);
        }
    }

    @Nested
    class ServerFactsParsing {

        private static ServerFacts facts(Flavor flavor, String executed, Optional<String> replicaPosition) {
            return new ServerFacts(1, flavor.version(), Optional.empty(), true, Optional.empty(), false, false, true,
                    Optional.empty(), Optional.empty(), flavor.parseGtidSet(executed), Optional.empty(),
                    replicaPosition.map(flavor::parseGtidSet), Optional.empty());
        }

        @Test
        void aFormerMariaDbMasterResumesAfterItsBinlogWhateverGtidSlavePosSays() {
            // its own writes (0-1-*) never reached gtid_slave_pos; without log_slave_updates neither did 0-2-*
            ServerFacts former = facts(MARIADB, "0-2-3,0-1-9", Optional.of("0-2-3"));
            assertThat(MARIADB.formerMasterGtidPosition(former)).extracting(Sql::text)
                    .containsExactly("SET GLOBAL gtid_slave_pos = '0-1-9'");
            assertThat(MARIADB.formerMasterGtidPosition(facts(MARIADB, "0-1-9", Optional.of("0-1-9")))).isEmpty();
        }

        @Test
        void aFormerMySqlMasterNeedsNothingBesidesGtidExecuted() {
            Flavor mysql = Flavor.of("8.4.3");
            assertThat(mysql.formerMasterGtidPosition(facts(mysql, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9", Optional.empty())))
                    .isEmpty();
            assertThat(mysql.setReadOnly(true)).containsExactly("SET GLOBAL super_read_only = ON");
            assertThat(MARIADB.setReadOnly(true)).containsExactly("SET GLOBAL read_only = ON");
        }

        @Test
        void longRunningUpdatesLeaveOutReadsIdleAndReplicationThreads() {
            String q = MARIADB.longRunningUpdatesQuery(1);
            assertThat(q).contains("p.TIME > 1", "NOT LIKE 'SELECT%'", "NOT LIKE 'SHOW%'", "'Sleep'", "'Binlog Dump GTID'",
                    "'Slave_SQL'", "p.ID <> CONNECTION_ID()");
            assertThat(MARIADB.clientTransactionsQuery()).contains("INNODB_TRX", "t.trx_mysql_thread_id <> CONNECTION_ID()",
                    "'system user'");
        }

        @Test
        void whatAServerLacksCountsMariaDbsAppliedPositionWithoutLogSlaveUpdates() {
            // a MariaDB replica without log_slave_updates: replicated 0-1-9 is in gtid_slave_pos, not in its binlog
            ServerFacts replica = facts(MARIADB, "0-1-5,0-2-3", Optional.of("0-1-9"));
            assertThat(replica.lacks(MariaDbGtidSet.parse("0-1-7"))).isEqualTo(MariaDbGtidSet.empty());
            assertThat(replica.lacks(MariaDbGtidSet.parse("0-1-10,0-2-3"))).hasToString("0-1-10");
            assertThat(facts(MARIADB, "0-1-5", Optional.empty()).lacks(MariaDbGtidSet.parse("0-1-7"))).hasToString("0-1-7");
        }

        @ParameterizedTest
        @ValueSource(strings = {"8.4.3", "8.0.35", "5.7.44-log"})
        void whatAMySqlServerLacksIsWhatItsGtidExecutedLacks(String version) {
            ServerFacts server = facts(Flavor.of(version), U1 + ":1-10", Optional.empty());
            assertThat(server.lacks(MySqlGtidSet.parse(U1 + ":5-12," + U2 + ":1"))).hasToString(U1 + ":11-12," + U2 + ":1");
            assertThat(server.lacks(MySqlGtidSet.parse(U1 + ":3"))).isEqualTo(MySqlGtidSet.empty());
        }

        @Test
        void mySql84ReadOnlyReplica() {
            ServerFacts f = MYSQL_84.parseServerFacts(StatusFixtures.row("mysql-8.4-server-facts.txt"));

            assertThat(f.serverId()).isEqualTo(12);
            assertThat(f.version()).isEqualTo(MYSQL_84.version());
            assertThat(f.serverUuid()).contains("9f86d081-884c-11ef-b5a2-0242ac120002");
            assertThat(f.logBin()).isTrue();
            assertThat(f.logBinBasename()).contains("/var/lib/mysql/mysql-bin");
            assertThat(f.logReplicaUpdates()).isTrue();
            assertThat(f.relayLogPurge()).isFalse();
            assertThat(f.readOnly()).isTrue();
            assertThat(f.superReadOnly()).contains(true);
            assertThat(f.writable()).isFalse();
            assertThat(f.gtidMode()).contains("ON");
            assertThat(f.executedGtids()).hasToString(U1 + ":1-1040:etl:1-3," + U2 + ":1-17");
            assertThat(f.purgedGtids()).map(Object::toString).contains(U1 + ":1-500," + U2 + ":1-17");
            assertThat(f.replicaGtidPosition()).isEmpty();
        }

        @Test
        void mySql57WritableMaster() {
            ServerFacts f = MYSQL_57.parseServerFacts(StatusFixtures.row("mysql-5.7.44-server-facts.txt"));

            assertThat(f.serverId()).isEqualTo(41);
            assertThat(f.readOnly()).isFalse();
            assertThat(f.superReadOnly()).contains(false);
            assertThat(f.writable()).isTrue();
            assertThat(f.logReplicaUpdates()).isFalse();
            assertThat(f.relayLogPurge()).isTrue();
            assertThat(f.executedGtids()).hasToString("c8a1f7d2-9e4b-11e6-8f1a-080027c8f3b9:1-352114");
            assertThat(f.purgedGtids()).hasValueSatisfying(g -> assertThat(g.isEmpty()).isTrue());
        }

        @Test
        void mySqlWithoutBinaryLogHasNoBasenameAndNoGtids() {
            ServerFacts f = MYSQL_8019.parseServerFacts(StatusFixtures.row("mysql-8.0.19-server-facts-binlog-off.txt"));

            assertThat(f.logBin()).isFalse();
            assertThat(f.logBinBasename()).isEmpty();
            assertThat(f.gtidMode()).contains("OFF");
            assertThat(f.executedGtids().isEmpty()).isTrue();
        }

        @Test
        void mariaDbHasNoUuidNoSuperReadOnlyAndItsSlavePos() {
            ServerFacts f = MARIADB.parseServerFacts(StatusFixtures.row("mariadb-10.11-server-facts.txt"));

            assertThat(f.serverId()).isEqualTo(22);
            assertThat(f.version()).isEqualTo(MARIADB.version());
            assertThat(f.serverUuid()).isEmpty();
            assertThat(f.logBin()).isTrue();
            assertThat(f.logBinBasename()).contains("/var/lib/mysql/mariadb-bin");
            assertThat(f.logReplicaUpdates()).isTrue();
            assertThat(f.readOnly()).isTrue();
            assertThat(f.superReadOnly()).isEmpty();
            assertThat(f.writable()).isFalse();
            assertThat(f.gtidMode()).isEmpty();
            assertThat(f.executedGtids()).isInstanceOf(MariaDbGtidSet.class).hasToString("0-21-2045,0-22-13,1-21-77");
            assertThat(f.purgedGtids()).isEmpty();
            assertThat(f.replicaGtidPosition()).map(Object::toString).contains("0-21-2045,1-21-77");
            assertThat(f.relayLogIndex()).as("a relative index name is resolved against the datadir")
                    .contains("/var/lib/mysql/mariadb-relay-bin.index");
        }

        @ParameterizedTest
        @CsvSource({
                "8.4.3,                          mysql-8.4-server-facts.txt",
                "5.7.44-log,                     mysql-5.7.44-server-facts.txt",
                "8.0.19,                         mysql-8.0.19-server-facts-binlog-off.txt",
                "10.11.19-MariaDB-0+deb12u1-log, mariadb-10.11-server-facts.txt"})
        void theFactsFixturesHaveExactlyTheColumnsTheQueryNames(String version, String fixture) {
            List<String> aliases = new ArrayList<>();
            Matcher m = Pattern.compile(" AS (\\w+)").matcher(Flavor.of(version).serverFactsQuery());
            while (m.find()) {
                aliases.add(m.group(1));
            }

            assertThat(StatusFixtures.columns(fixture).get(0).keySet()).containsExactlyElementsOf(aliases);
        }
    }

    @Nested
    class BinlogStatusParsing {

        @Test
        void mySql84ShowBinaryLogStatus() {
            BinlogStatus b = MYSQL_84.parseBinlogStatus(StatusFixtures.row("mysql-8.4-show-binary-log-status.txt"));

            assertThat(b.current()).isEqualTo(new BinlogCoordinates("mysql-bin.000012", 4231));
            assertThat(b.doDb()).isEmpty();
            assertThat(b.ignoreDb()).isEqualTo("mysql,sys");
            assertThat(b.filters()).isEqualTo("Binlog_Do_DB=, Binlog_Ignore_DB=mysql,sys");
        }

        @Test
        void mariaDbShowMasterStatus() {
            BinlogStatus b = MARIADB.parseBinlogStatus(StatusFixtures.row("mariadb-10.11-show-master-status.txt"));

            assertThat(b.current()).isEqualTo(new BinlogCoordinates("mariadb-bin.000031", 8812));
            assertThat(b.doDb()).isEqualTo("app");
            assertThat(b.ignoreDb()).isEmpty();
        }
    }

    @Nested
    class TheFixtureReader {

        @Test
        void continuesAValueEndingInACommaOnTheNextLineAndTurnsNullIntoAbsent() {
            List<Map<String, String>> rows = StatusFixtures.parse("""
                    *************************** 1. row ***************************
                                 Name: db2
                    Executed_Gtid_Set: %s:1-5,
                    %s:1-3
                                Empty:
                                 Lag: NULL
                    1 row in set (0.00 sec)
                    """.formatted(U1, U2));

            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).containsEntry("Name", "db2")
                    .containsEntry("Executed_Gtid_Set", U1 + ":1-5,\n" + U2 + ":1-3")
                    .containsEntry("Empty", "")
                    .containsEntry("Lag", null);
            assertThat(Row.of(rows.get(0)).get("lag")).isEqualTo(Optional.empty());
        }

        @Test
        void refusesALineThatIsNeitherAColumnNorAContinuation() {
            assertThatThrownBy(() -> StatusFixtures.parse("""
                    *************************** 1. row ***************************
                    Name: db2
                    stray text
                    """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql-8.4-show-replica-status.txt", "mysql-8.0.35-show-replica-status.txt",
            "mysql-8.0.19-show-slave-status.txt", "mysql-5.7.44-show-slave-status.txt",
            "mysql-8.4-show-replica-status-source-down.txt"})
    void everyMySqlStatusFixtureHasTheNineFieldsFailoverNeeds(String fixture) {
        Row row = StatusFixtures.row(fixture);
        boolean replicaNames = row.has("Source_Host");
        String[] needed = replicaNames
                ? new String[] {"Source_Host", "Source_Port", "Replica_IO_Running", "Replica_SQL_Running", "Source_Log_File",
                        "Read_Source_Log_Pos", "Relay_Source_Log_File", "Exec_Source_Log_Pos", "Seconds_Behind_Source"}
                : new String[] {"Master_Host", "Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Master_Log_File",
                        "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Seconds_Behind_Master"};
        for (String column : needed) {
            assertThat(row.has(column)).as(fixture + " has " + column).isTrue();
        }
        assertThat(row.has("Retrieved_Gtid_Set") && row.has("Executed_Gtid_Set") && row.has("Auto_Position")).isTrue();
    }
}
