package io.mhaserverless.node.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.node.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay log in which the IO thread reconnected in the middle of a transaction: the part received
 * before, then the source's fake ROTATE back to the transaction's start, its format description,
 * and the whole transaction again. Built from a real MariaDB 10.5 binlog (two transactions). The
 * diff must hold that transaction once, whole.
 */
class ReconnectInsideATransactionTest {

    private static final long SOURCE_ID = 1;
    private static final long REPLICA_ID = 2;

    /** The events of the fixture binlog, each as bytes with its offset there. */
    private record Source(List<Long> offsets, List<byte[]> events) {
        byte[] at(long offset) {
            return events.get(offsets.indexOf(offset));
        }
    }

    private static Source source() throws IOException {
        List<Long> offsets = new ArrayList<>();
        List<byte[]> events = new ArrayList<>();
        try (BinlogReader r = BinlogReader.open(SharedFixtures.permissive("rust_mysql_common/mariadb-bin.000001"))) {
            while (r.next()) {
                offsets.add(r.offset());
                events.add(r.eventBytes());
            }
        }
        return new Source(offsets, events);
    }

    /** A copy of a format description as the replica's own (its server id, the relay-log flag). */
    private static byte[] ownFormatDescription(byte[] sourceFde) {
        byte[] own = sourceFde.clone();
        Bytes.putU32(own, 5, REPLICA_ID);
        own[17] = (byte) ((own[17] & ~EventHeader.FLAG_BINLOG_IN_USE) | EventHeader.FLAG_RELAY_LOG);
        EventChecksum.recompute(own);
        return own;
    }

    /** The source's fake ROTATE: timestamp 0, next position 0, artificial. */
    private static byte[] fakeRotate(String file, long position) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        byte[] e = new byte[EventHeader.LENGTH + 8 + name.length + 4];
        e[4] = EventType.ROTATE;
        Bytes.putU32(e, 5, SOURCE_ID);
        Bytes.putU32(e, 9, e.length);
        e[17] = EventHeader.FLAG_ARTIFICIAL;
        Bytes.putU32(e, 19, position);
        System.arraycopy(name, 0, e, 27, name.length);
        EventChecksum.recompute(e);
        return e;
    }

    /** The source format description as the replica copies it after a reconnect: next position 0. */
    private static byte[] copiedFormatDescription(byte[] sourceFde) {
        byte[] copy = sourceFde.clone();
        Bytes.putU32(copy, 13, 0);
        copy[17] &= (byte) ~EventHeader.FLAG_BINLOG_IN_USE;
        EventChecksum.recompute(copy);
        return copy;
    }

    @Test
    void aTransactionCutByAReconnectIsAppliedOnceWhole(@TempDir Path dir) throws Exception {
        Source s = source();
        ByteArrayOutputStream relay = new ByteArrayOutputStream();
        relay.write(BinlogReader.MAGIC);
        relay.write(ownFormatDescription(s.at(4)));
        relay.write(fakeRotate("mariadb-bin.000001", 4));
        for (long offset : List.of(4L, 256L, 285L, 330L, 372L, 476L, 612L, 671L)) {   // head events, transaction 0-1-1
            relay.write(s.at(offset));
        }
        for (long offset : List.of(702L, 744L, 848L)) {                               // 0-1-2: GTID, Annotate, Table_map …
            relay.write(s.at(offset));
        }
        relay.write(fakeRotate("mariadb-bin.000001", 702));                           // … the connection breaks
        relay.write(copiedFormatDescription(s.at(4)));
        for (long offset : List.of(702L, 744L, 848L, 984L, 1043L)) {                  // 0-1-2 again, whole
            relay.write(s.at(offset));
        }
        Path relayFile = Files.write(dir.resolve("relay-bin.000002"), relay.toByteArray());
        Files.writeString(dir.resolve("relay-bin.index"), "relay-bin.000002\n");
        RelayLogIndex index = RelayLogIndex.read(dir.resolve("relay-bin.index"));
        List<String> log = new ArrayList<>();

        RelayPosition start = new RelayPositionFinder(index, log::add).find(new SourceCoordinate("mariadb-bin.000001", 702));
        DiffBuilder.Built built = new DiffBuilder(log::add).build(index, start, null, List.of(), dir.resolve("diff.binlog"));

        assertThat(start.relayFile()).isEqualTo(relayFile);
        assertThat(built.transactions()).isEqualTo(1);
        assertThat(built.events()).isEqualTo(5);
        assertThat(built.endsAtTransactionBoundary()).isTrue();
        assertThat(built.gtids()).isEqualTo("0-1-2");
        assertThat(log).anyMatch(l -> l.contains("restarted inside a transaction") && l.contains("3 events"));
        List<Integer> types = new ArrayList<>();
        try (BinlogReader r = BinlogReader.open(dir.resolve("diff.binlog"))) {
            while (r.next()) {
                types.add(r.header().type());
            }
        }
        assertThat(types).containsExactly(EventType.FORMAT_DESCRIPTION, EventType.MARIADB_GTID, EventType.MARIADB_ANNOTATE_ROWS,
                EventType.TABLE_MAP, 23, EventType.XID);
    }

    @Test
    void aTransactionContinuedAfterAFilePositionReconnectIsKept(@TempDir Path dir) throws Exception {
        Source s = source();
        ByteArrayOutputStream relay = new ByteArrayOutputStream();
        relay.write(BinlogReader.MAGIC);
        relay.write(ownFormatDescription(s.at(4)));
        relay.write(fakeRotate("mariadb-bin.000001", 4));
        for (long offset : List.of(4L, 256L, 285L, 330L, 372L, 476L, 612L, 671L, 702L, 744L)) {
            relay.write(s.at(offset));
        }
        relay.write(fakeRotate("mariadb-bin.000001", 848));                           // file positioning: resumes inside 0-1-2
        relay.write(copiedFormatDescription(s.at(4)));
        for (long offset : List.of(848L, 984L, 1043L)) {
            relay.write(s.at(offset));
        }
        Files.write(dir.resolve("relay-bin.000002"), relay.toByteArray());
        Files.writeString(dir.resolve("relay-bin.index"), "relay-bin.000002\n");
        RelayLogIndex index = RelayLogIndex.read(dir.resolve("relay-bin.index"));

        RelayPosition start = new RelayPositionFinder(index, line -> { }).find(new SourceCoordinate("mariadb-bin.000001", 330));
        DiffBuilder.Built built = new DiffBuilder(line -> { }).build(index, start, null, List.of(), dir.resolve("diff.binlog"));

        assertThat(built.transactions()).isEqualTo(2);
        assertThat(built.events()).isEqualTo(10);
        assertThat(built.endsAtTransactionBoundary()).isTrue();
    }
}
