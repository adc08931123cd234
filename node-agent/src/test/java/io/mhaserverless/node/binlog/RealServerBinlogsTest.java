package io.mhaserverless.node.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.node.AgentRun;
import io.mhaserverless.node.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader against files written by real MySQL 5.0 … 9.6, Percona, Aurora and MariaDB servers:
 * the permissive ones copied into the test resources, MySQL's own mysql-test files (GPL) read in
 * place from the shared fixtures.
 */
class RealServerBinlogsTest {

    record Read(long events, boolean truncated, long validEnd, List<EventHeader> headers, List<Long> offsets) {
    }

    static Read readAll(Path file) throws IOException {
        return readAll(file, true);
    }

    static Read readAll(Path file, boolean mapped) throws IOException {
        List<EventHeader> headers = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (BinlogReader reader = BinlogReader.open(file, mapped)) {
            while (reader.next()) {
                assertThat(reader.checksumValid()).as("CRC32 of the %s event at %s:%d", reader.header().typeName(), file.getFileName(),
                        reader.offset()).isTrue();
                headers.add(reader.header());
                offsets.add(reader.offset());
            }
            return new Read(headers.size(), reader.truncated(), reader.validEnd(), headers, offsets);
        }
    }

    static Stream<Path> permissiveFixtures() throws IOException {
        Path root = SharedFixtures.permissive("NOTICE").getParent();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("NOTICE")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("permissiveFixtures")
    void everyEventOfARealServersBinlogIsFramedAndItsChecksumHolds(Path file) throws IOException {
        Read read = readAll(file);
        assertThat(read.truncated()).isFalse();
        assertThat(read.validEnd()).isEqualTo(Files.size(file));
        Read windowed = readAll(file, false); // the way files over 2 GiB are read
        assertThat(windowed.headers()).isEqualTo(read.headers());
        assertThat(windowed.offsets()).isEqualTo(read.offsets());
        assertThat(read.headers().get(0).type()).isEqualTo(EventType.FORMAT_DESCRIPTION);
        // in a binlog (not a relay log) every next-position is the offset after the event
        for (int i = 0; i < read.headers().size(); i++) {
            EventHeader h = read.headers().get(i);
            if (h.nextPosition() != 0) {
                assertThat(h.nextPosition()).as("next position of event %d", i).isEqualTo(read.offsets().get(i) + h.length());
            }
        }
    }

    @Test
    void aFormatDescriptionMarkedInUseIsChecksummedWithTheFlagCleared() throws IOException {
        for (String name : List.of("rust_mysql_common/json.binlog.000001", "rust_mysql_common/mysql-enum-string-set.000001",
                "rust_mysql_common/mariadb-bin.000001")) {
            byte[] fde;
            try (BinlogReader reader = BinlogReader.open(SharedFixtures.permissive(name))) {
                reader.next();
                fde = reader.eventBytes();
            }
            assertThat(fde[17] & EventHeader.FLAG_BINLOG_IN_USE).as(name).isEqualTo(1);
            assertThat(EventChecksum.valid(fde, EventType.FORMAT_DESCRIPTION)).as(name).isTrue();
            java.util.zip.CRC32 naive = new java.util.zip.CRC32();
            naive.update(fde, 0, fde.length - 4);
            assertThat(naive.getValue()).as("a CRC over the bytes as they are").isNotEqualTo(Bytes.u32(fde, fde.length - 4));
            byte[] closed = EventChecksum.closedFormatDescription(fde, FormatDescription.parse(fde));
            assertThat(closed[17] & EventHeader.FLAG_BINLOG_IN_USE).isZero();
            assertThat(EventChecksum.valid(closed, EventType.FORMAT_DESCRIPTION)).isTrue();
        }
    }

    @Test
    void mysqlGtidsTaggedGtidsAndPreviousGtidsAreDecoded() throws IOException {
        Path tagged = SharedFixtures.permissive("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001");
        BinlogFileHead head = BinlogFileHead.read(tagged);
        assertThat(head.format().serverVersion()).isEqualTo("9.6.0");
        assertThat(head.executedBefore()).hasToString(
                "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2"); // core's canonical form: one entry per UUID
        assertThat(gtids(tagged)).containsExactly("55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3");

        Path plain = SharedFixtures.permissive("rust_mysql_common/binlog-invisible-columns.000001");
        List<String> gtids = gtids(plain);
        assertThat(gtids).hasSize(5);
        assertThat(gtids.get(0)).startsWith("97c7af02-").endsWith(":1");
        assertThat(gtids.get(4)).endsWith(":5");

        assertThat(BinlogFileHead.read(SharedFixtures.permissive("rust_mysql_common/binlog_transaction_previous_GTID_no_tag.000001"))
                .executedBefore().toString()).startsWith("b9b88c66-").endsWith(":1-2");
        assertThat(BinlogFileHead.read(SharedFixtures.permissive("rust_mysql_common/mariadb-bin.000001")).executedBefore())
                .isInstanceOf(io.mhaserverless.core.mysql.MariaDbGtidSet.class);
    }

    private static List<String> gtids(Path file) throws IOException {
        List<String> gtids = new ArrayList<>();
        try (BinlogReader reader = BinlogReader.open(file)) {
            while (reader.next()) {
                GtidEvents.gtidOf(reader.header(), reader.body()).ifPresent(g -> gtids.add(g.toString()));
            }
        }
        return gtids;
    }

    @Test
    void transactionsAreCountedInEveryFlavorIncludingCompressedMysqlPayloads() throws IOException {
        assertThat(transactions("rust_mysql_common/transaction_compression.000001")).isEqualTo(1);
        assertThat(transactions("mysql-binlog-connector-java/mysql-bin.compressed")).isEqualTo(1);
        assertThat(transactions("rust_mysql_common/binlog-invisible-columns.000001")).isEqualTo(5);
        assertThat(transactions("rust_mysql_common/mariadb-bin.000001")).isEqualTo(countType("rust_mysql_common/mariadb-bin.000001",
                EventType.MARIADB_GTID));
        // MySQL 5.1 without GTIDs: BEGIN … COMMIT/XID groups and standalone statements
        assertThat(transactions("canal/mysql-bin.000001")).isEqualTo(countType("canal/mysql-bin.000001", EventType.XID)
                + standaloneQueries("canal/mysql-bin.000001"));
    }

    private static long transactions(String name) throws IOException {
        TransactionTracker tracker = new TransactionTracker();
        try (BinlogReader reader = BinlogReader.open(SharedFixtures.permissive(name))) {
            while (reader.next()) {
                if (!EventType.isFileMetadata(reader.header().type())) {
                    tracker.accept(reader);
                }
            }
        }
        assertThat(tracker.atBoundary()).as(name + " ends between transactions").isTrue();
        return tracker.transactions();
    }

    private static long countType(String name, int type) throws IOException {
        return readAll(SharedFixtures.permissive(name)).headers().stream().filter(h -> h.type() == type).count();
    }

    /** Queries that are neither BEGIN nor COMMIT and not inside BEGIN … COMMIT. */
    private static long standaloneQueries(String name) throws IOException {
        long n = 0;
        boolean inside = false;
        try (BinlogReader reader = BinlogReader.open(SharedFixtures.permissive(name))) {
            while (reader.next()) {
                int type = reader.header().type();
                if (type == EventType.XID) {
                    inside = false;
                } else if (type == EventType.QUERY) {
                    String sql = TransactionTracker.queryText(reader.body()).strip();
                    if (sql.equalsIgnoreCase("BEGIN")) {
                        inside = true;
                    } else if (sql.equalsIgnoreCase("COMMIT")) {
                        inside = false;
                    } else if (!inside) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    @Test
    void aReaderThatSeeksPastTheFormatDescriptionStillStripsChecksumsFromBodies() throws IOException {
        Path file = SharedFixtures.permissive("canal/tsdb/mysql-bin.000002");
        long begin = -1;
        try (BinlogReader reader = BinlogReader.open(file)) {
            while (reader.next() && begin < 0) {
                if (reader.header().type() == EventType.QUERY && TransactionTracker.queryText(reader.body()).equals("BEGIN")) {
                    begin = reader.offset();
                }
            }
        }
        assertThat(begin).isPositive();
        try (BinlogReader reader = BinlogReader.open(file)) {
            reader.seek(begin);
            assertThat(reader.next()).isTrue();
            assertThat(reader.formatDescription().crc32()).isTrue();
            assertThat(TransactionTracker.queryText(reader.body())).isEqualTo("BEGIN");
        }
    }

    @Test
    void aMysql8RelayLogGivesTheRelayOffsetAfterEachSourceEvent(@TempDir Path dir) throws IOException {
        Path relay = SharedFixtures.mysqlTestStdData("rpl_unfiltered_hidden_gcol.000001");
        Files.writeString(dir.resolve("relay.index"), relay + "\n");
        Read read = readAll(relay);
        assertThat(read.headers().get(0).flags() & EventHeader.FLAG_RELAY_LOG).isNotZero();

        // every source event with a real end position (master-bin.000001 coordinates) maps to the next relay offset
        int checked = 0;
        for (int i = 0; i < read.headers().size(); i++) {
            EventHeader h = read.headers().get(i);
            if (h.serverId() != 1 || h.nextPosition() == 0) {
                continue;
            }
            AgentRun run = AgentRun.of("find-relay-position", "--relay-log-index", dir.resolve("relay.index").toString(),
                    "--source-file", "master-bin.000001", "--source-pos", Long.toString(h.nextPosition()));
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.json().path("relayPos").asLong()).as("after source position %d", h.nextPosition())
                    .isEqualTo(read.offsets().get(i) + h.length());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(9);
        AgentRun known = AgentRun.of("find-relay-position", "--relay-log-index", dir.resolve("relay.index").toString(),
                "--source-file", "master-bin.000001", "--source-pos", "554");
        assertThat(known.json().path("relayPos").asLong()).isEqualTo(770);
        assertThat(known.json().path("relayFile").asText()).isEqualTo("rpl_unfiltered_hidden_gcol.000001");
    }

    @Test
    void mysqlTestFilesCutInsideAnEventEndTheWalkThere() throws IOException {
        Read empty = readAll(SharedFixtures.mysqlTestStdData("binlog_truncated_event.000001"));
        assertThat(empty.events()).isZero();
        assertThat(empty.truncated()).isTrue();
        for (boolean mapped : List.of(true, false)) {
            Read prev = readAll(SharedFixtures.mysqlTestStdData("binlog_truncated_prev_gtid_event.000001"), mapped);
            assertThat(prev.events()).isEqualTo(1);
            assertThat(prev.truncated()).isTrue();
            assertThat(prev.validEnd()).isEqualTo(120);
        }
        for (String old : List.of("binlog_transaction.000001", "ver_5_1_23.001", "ver_trunk_row_v2.001", "bug33029-slave-relay-bin.000001",
                "binlog_56_gtid_reserved_word.000001", "rpl_atomic_ddl_rollback_full.000001")) {
            Path p = SharedFixtures.mysqlTestStdData(old);
            Read r = readAll(p);
            assertThat(r.truncated()).as(old).isFalse();
            assertThat(r.validEnd()).as(old).isEqualTo(Files.size(p));
        }
    }

    @Test
    void saveBinlogFromAMysqlGtidSetStartsAtTheFirstMissingTransaction(@TempDir Path dir) throws IOException {
        Path binlogs = Files.createDirectory(dir.resolve("binlogs"));
        Files.copy(SharedFixtures.permissive("rust_mysql_common/binlog-invisible-columns.000001"), binlogs.resolve("binlog.000001"));
        List<String> gtids = gtids(binlogs.resolve("binlog.000001"));
        String uuid = gtids.get(0).substring(0, gtids.get(0).lastIndexOf(':'));

        AgentRun run = AgentRun.of("save-binlog", "--binlog-dir", binlogs.toString(), "--binlog-prefix", "binlog",
                "--from-gtid", uuid + ":1-3", "--out", dir.resolve("saved").toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("transactions").asLong()).isEqualTo(2);
        assertThat(run.json().path("gtids").asText()).isEqualTo(uuid + ":4-5");
        assertThat(run.json().path("fromPos").asLong()).isEqualTo(offsetOfGtid(binlogs.resolve("binlog.000001"), 3));
        assertThat(BinlogVerifier.verify(dir.resolve("saved")).transactions()).isEqualTo(2);

        AgentRun all = AgentRun.of("save-binlog", "--binlog-dir", binlogs.toString(), "--binlog-prefix", "binlog",
                "--from-gtid", uuid + ":1-5", "--out", dir.resolve("none").toString());
        assertThat(all.exit()).as(all.toString()).isEqualTo(10);
    }

    private static long offsetOfGtid(Path file, int index) throws IOException {
        int n = 0;
        try (BinlogReader reader = BinlogReader.open(file)) {
            while (reader.next()) {
                if (EventType.isGtid(reader.header().type()) && n++ == index) {
                    return reader.offset();
                }
            }
        }
        throw new AssertionError("no GTID #" + index);
    }
}
