package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.Gtid;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * GTID_TAGGED (MySQL 8.3+) bodies and tagged PREVIOUS_GTIDS use MySQL's serialization library:
 * a version byte, then a message of {@code <size> <last non-ignorable field id> {<field id> <value>}*}
 * in variable-length integers (the count of trailing one bits of the first byte plus one is the
 * number of bytes; signed values are zig-zag coded).
 */
final class TaggedGtidDecoder {

    private static final int FIELD_FLAGS = 0;
    private static final int FIELD_SID = 1;
    private static final int FIELD_GNO = 2;
    private static final int FIELD_TAG = 3;

    private final byte[] b;
    private int at;

    private TaggedGtidDecoder(byte[] b, int at) {
        this.b = b;
        this.at = at;
    }

    static Gtid.MySql decode(byte[] body) throws BinlogFormatException {
        if (body.length < 3) {
            throw new BinlogFormatException("GTID_TAGGED event body of " + body.length + " bytes is too short");
        }
        TaggedGtidDecoder d = new TaggedGtidDecoder(body, 1);
        long size = d.unsigned();
        d.unsigned(); // last non-ignorable field id
        int end = (int) Math.min(body.length, size);
        UUID sid = null;
        String tag = "";
        long gno = -1;
        while (d.at < end) {
            long field = d.unsigned();
            if (field == FIELD_FLAGS) {
                d.unsigned();
            } else if (field == FIELD_SID) {
                byte[] uuid = new byte[16];
                for (int i = 0; i < 16; i++) {
                    uuid[i] = (byte) d.unsigned();
                }
                sid = GtidEvents.uuid(uuid, 0);
            } else if (field == FIELD_GNO) {
                gno = d.signed();
            } else if (field == FIELD_TAG) {
                tag = d.string();
            } else {
                break; // the rest (commit timestamps, lengths, versions) is not needed here
            }
        }
        if (sid == null || gno < 0) {
            throw new BinlogFormatException("GTID_TAGGED event without source UUID or transaction number");
        }
        return new Gtid.MySql(sid, tag, gno);
    }

    /** A tag inside a tagged PREVIOUS_GTIDS entry: varlen length + bytes. */
    static String tagAt(byte[] body, int[] position) throws BinlogFormatException {
        TaggedGtidDecoder d = new TaggedGtidDecoder(body, position[0]);
        String tag = d.string();
        position[0] = d.at;
        return tag;
    }

    private long unsigned() throws BinlogFormatException {
        if (at >= b.length) {
            throw new BinlogFormatException("serialized GTID ends early");
        }
        int first = b[at] & 0xff;
        int bytes = Integer.numberOfTrailingZeros(~first) + 1;
        if (bytes > 9) {
            bytes = 9;
        }
        if (at + bytes > b.length) {
            throw new BinlogFormatException("serialized GTID ends early");
        }
        long value;
        if (bytes == 9) {
            value = Bytes.u64(b, at + 1);
        } else {
            value = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                value = value << 8 | (b[at + i] & 0xff);
            }
            value >>>= bytes;
        }
        at += bytes;
        return value;
    }

    private long signed() throws BinlogFormatException {
        long u = unsigned();
        return (u & 1) == 0 ? u >>> 1 : -(u >>> 1) - 1;
    }

    private String string() throws BinlogFormatException {
        long length = unsigned();
        if (length < 0 || at + length > b.length) {
            throw new BinlogFormatException("serialized GTID tag runs past the event");
        }
        String s = new String(b, at, (int) length, StandardCharsets.UTF_8);
        at += (int) length;
        return s;
    }
}
