package io.mhaserverless.node.binlog;

import java.util.Optional;
import java.util.UUID;

/** The GTID of one event group: MariaDB's domain-server-sequence or MySQL's source UUID[:tag]:number. */
public sealed interface Gtid permits Gtid.Mariadb, Gtid.Mysql {

    /** MariaDB: {@code domain-server-seq}. */
    record Mariadb(long domain, long server, long sequence) implements Gtid {
        @Override
        public String toString() {
            return domain + "-" + server + "-" + sequence;
        }
    }

    /** MySQL: {@code uuid:gno}, or {@code uuid:tag:gno} for tagged GTIDs (8.4+); gno 0 is an anonymous group. */
    record Mysql(UUID source, String tag, long number) implements Gtid {
        public boolean anonymous() {
            return number == 0;
        }

        /** {@code uuid} or {@code uuid:tag}: what a GTID set groups intervals by. */
        public String key() {
            return tag == null || tag.isEmpty() ? source.toString() : source + ":" + tag;
        }

        @Override
        public String toString() {
            return key() + ":" + number;
        }
    }

    /**
     * The GTID of a GTID event (MariaDB GTID, MySQL GTID, anonymous GTID, tagged GTID), from its body
     * (without header and checksum); empty for other events. MariaDB takes the server id from the
     * header, as the server does.
     */
    static Optional<Gtid> of(EventHeader header, byte[] body) throws BinlogFormatException {
        switch (header.type()) {
            case EventType.MARIADB_GTID -> {
                require(body, 13, header);
                return Optional.of(new Mariadb(Bytes.u32(body, 8), header.serverId(), Bytes.u64(body, 0)));
            }
            case EventType.GTID, EventType.ANONYMOUS_GTID -> {
                require(body, 25, header);
                return Optional.of(new Mysql(uuid(body, 1), null, Bytes.u64(body, 17)));
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
