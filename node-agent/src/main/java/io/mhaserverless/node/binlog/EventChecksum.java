package io.mhaserverless.node.binlog;

import java.util.zip.CRC32;

/**
 * The CRC32 at the end of an event. A format description is checksummed with its "in use" flag
 * cleared: the server sets that flag while the file is open and clears it in place on close, so the
 * stored checksum has to be valid both ways.
 */
public final class EventChecksum {
    private EventChecksum() {
    }

    public static boolean valid(byte[] event, int type) {
        if (event.length < EventHeader.LENGTH + 4) {
            return false;
        }
        long stored = Bytes.u32(event, event.length - 4);
        if (compute(event, false) == stored) {
            return true;
        }
        return type == EventType.FORMAT_DESCRIPTION && compute(event, true) == stored;
    }

    /** Writes a fresh checksum over the event as it is now. */
    public static void recompute(byte[] event) {
        Bytes.putU32(event, event.length - 4, compute(event, false));
    }

    private static long compute(byte[] event, boolean clearInUse) {
        CRC32 crc = new CRC32();
        if (clearInUse) {
            byte[] copy = event.clone();
            copy[17] &= (byte) ~EventHeader.FLAG_BINLOG_IN_USE;
            crc.update(copy, 0, copy.length - 4);
        } else {
            crc.update(event, 0, event.length - 4);
        }
        return crc.getValue();
    }

    /**
     * A copy of a format description event with the "in use" flag cleared (and its checksum
     * recomputed), for the head of a file this agent writes: a reader then sees a closed binlog and
     * mysqlbinlog does not warn that it "was not closed properly".
     */
    public static byte[] closedFormatDescription(byte[] event, FormatDescription fde) {
        byte[] copy = event.clone();
        copy[17] &= (byte) ~EventHeader.FLAG_BINLOG_IN_USE;
        if (fde.crc32()) {
            recompute(copy);
        }
        return copy;
    }
}
