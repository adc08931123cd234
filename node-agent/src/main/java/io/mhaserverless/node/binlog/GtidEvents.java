package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.Gtid;
import io.mhaserverless.core.mysql.MariaDbGtidSet;
import io.mhaserverless.core.mysql.MySqlGtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads core's GTID model out of binlog event bodies (without header and checksum): the GTID of a
 * group's GTID event, and what a file's head (GTID_LIST / PREVIOUS_GTIDS) says was executed before it.
 */
public final class GtidEvents {

    private GtidEvents() {
    }

    /**
     * The GTID of a GTID event (MariaDB GTID, MySQL GTID, anonymous GTID, tagged GTID); empty for
     * other events. MariaDB takes the server id from the header, as the server does.
     */
    public static Optional<Gtid> gtidOf(EventHeader header, byte[] body) throws BinlogFormatException {
        switch (header.type()) {
            case EventType.MARIADB_GTID -> {
                require(body, 13, header);
                return Optional.of(new Gtid.MariaDb(Bytes.u32(body, 8), header.serverId(), Bytes.u64(body, 0)));
            }
            case EventType.GTID, EventType.ANONYMOUS_GTID -> {
                require(body, 25, header);
                return Optional.of(new Gtid.MySql(uuid(body, 1), null, Bytes.u64(body, 17)));
            }
            case EventType.GTID_TAGGED -> {
                return Optional.of(TaggedGtidDecoder.decode(body));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** MariaDB GTID event flags (FL_STANDALONE: the group is one statement, no BEGIN … COMMIT). */
    static boolean mariadbStandalone(byte[] body) {
        return body.length > 12 && (body[12] & 0x01) != 0;
    }

    /** A GTID_LIST body: count (low 28 bits), then (domain u32, server u32, seq u64) each: the binlog state before the file. */
    static MariaDbGtidSet gtidList(byte[] body) throws BinlogFormatException {
        if (body.length < 4) {
            throw new BinlogFormatException("GTID_LIST body of " + body.length + " bytes is too short");
        }
        int count = (int) (Bytes.u32(body, 0) & 0x0fffffff);
        if (body.length < 4 + 16L * count) {
            throw new BinlogFormatException("GTID_LIST of " + count + " GTIDs has only " + body.length + " bytes");
        }
        List<Gtid.MariaDb> gtids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 4 + 16 * i;
            gtids.add(new Gtid.MariaDb(Bytes.u32(body, at), Bytes.u32(body, at + 4), Bytes.u64(body, at + 8)));
        }
        return MariaDbGtidSet.of(gtids);
    }

    /**
     * A PREVIOUS_GTIDS body: an 8-byte count (the top byte 1 marks the tagged format of 8.3+,
     * whose count sits in bits 8–55), then per source: UUID, [tag], interval count, [start, end).
     */
    static MySqlGtidSet previousGtids(byte[] body) throws BinlogFormatException {
        if (body.length < 8) {
            throw new BinlogFormatException("PREVIOUS_GTIDS body of " + body.length + " bytes is too short");
        }
        long head = Bytes.u64(body, 0);
        boolean tagged = (head >>> 56) == 1;
        long sources = tagged ? (head >>> 8) & 0xffffffffffffL : head & 0x00ffffffffffffffL;
        MySqlGtidSet.Builder set = new MySqlGtidSet.Builder();
        int[] at = {8};
        for (long s = 0; s < sources; s++) {
            if (at[0] + 16 > body.length) {
                throw new BinlogFormatException("PREVIOUS_GTIDS ends inside source " + s);
            }
            UUID source = uuid(body, at[0]);
            at[0] += 16;
            String tag = tagged ? TaggedGtidDecoder.tagAt(body, at) : "";
            if (at[0] + 8 > body.length) {
                throw new BinlogFormatException("PREVIOUS_GTIDS ends inside source " + source);
            }
            long count = Bytes.u64(body, at[0]);
            at[0] += 8;
            if (count < 0 || at[0] + 16 * count > body.length) {
                throw new BinlogFormatException("PREVIOUS_GTIDS has " + count + " intervals for " + source + " but ends early");
            }
            for (long i = 0; i < count; i++) {
                set.add(source, tag, Bytes.u64(body, at[0]), Bytes.u64(body, at[0] + 8) - 1);
                at[0] += 16;
            }
        }
        return set.build();
    }

    /** A UUID as MySQL stores it: 16 bytes, most significant first. */
    static UUID uuid(byte[] b, int at) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[at + i] & 0xff);
            lo = lo << 8 | (b[at + 8 + i] & 0xff);
        }
        return new UUID(hi, lo);
    }

    private static void require(byte[] body, int length, EventHeader header) throws BinlogFormatException {
        if (body.length < length) {
            throw new BinlogFormatException(header.typeName() + " event body of " + body.length + " bytes is too short");
        }
    }
}
