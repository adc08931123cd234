package io.mhaserverless.node.binlog;

import java.nio.charset.StandardCharsets;

/**
 * What a FORMAT_DESCRIPTION event says about the events that follow it: the writer's version and
 * whether each event ends in a CRC32. Servers from MySQL 5.6.1 and MariaDB 5.3 on append the
 * checksum algorithm (1 byte) and a 4-byte checksum field to the format description itself.
 */
public record FormatDescription(int binlogVersion, String serverVersion, long createTimestamp, int headerLength,
                                boolean checksumAware, int checksumAlgorithm) {

    public static final int CHECKSUM_OFF = 0;
    public static final int CHECKSUM_CRC32 = 1;
    private static final int VERSION_OFFSET = EventHeader.LENGTH + 2;
    private static final int VERSION_LENGTH = 50;

    /** Parses a whole FORMAT_DESCRIPTION event (header included). */
    public static FormatDescription parse(byte[] event) throws BinlogFormatException {
        int bodyStart = EventHeader.LENGTH;
        if (event.length < bodyStart + 2 + VERSION_LENGTH + 4 + 1) {
            throw new BinlogFormatException("format description event of " + event.length + " bytes is too short");
        }
        int binlogVersion = Bytes.u16(event, bodyStart);
        int end = VERSION_OFFSET;
        while (end < VERSION_OFFSET + VERSION_LENGTH && event[end] != 0) {
            end++;
        }
        String version = new String(event, VERSION_OFFSET, end - VERSION_OFFSET, StandardCharsets.ISO_8859_1).trim();
        long created = Bytes.u32(event, VERSION_OFFSET + VERSION_LENGTH);
        int headerLength = Bytes.u8(event, VERSION_OFFSET + VERSION_LENGTH + 4);
        boolean aware = checksumAware(version);
        int algorithm = aware ? Bytes.u8(event, event.length - 5) : CHECKSUM_OFF;
        if (algorithm == 0xff) {
            algorithm = CHECKSUM_OFF; // BINLOG_CHECKSUM_ALG_UNDEF
        }
        if (binlogVersion != 4 || headerLength != EventHeader.LENGTH) {
            throw new BinlogFormatException("binlog format version " + binlogVersion + " with " + headerLength
                    + "-byte headers (server " + version + ") is not supported; only v4 with 19-byte headers");
        }
        return new FormatDescription(binlogVersion, version, created, headerLength, aware, algorithm);
    }

    /** Bytes after the body that belong to the checksum. */
    public int checksumLength() {
        return checksumAlgorithm == CHECKSUM_CRC32 ? 4 : 0;
    }

    public boolean crc32() {
        return checksumAlgorithm == CHECKSUM_CRC32;
    }

    public boolean mariadb() {
        return serverVersion.contains("MariaDB");
    }

    /** MySQL's rule (5.6.1 and later write the algorithm byte) with MariaDB's own threshold (5.3). */
    static boolean checksumAware(String version) {
        int[] v = splitVersion(version);
        boolean mariadb = version.contains("MariaDB");
        int[] threshold = mariadb ? new int[] {5, 3, 0} : new int[] {5, 6, 1};
        for (int i = 0; i < 3; i++) {
            if (v[i] != threshold[i]) {
                return v[i] > threshold[i];
            }
        }
        return true;
    }

    private static int[] splitVersion(String version) {
        int[] parts = new int[3];
        int part = 0;
        int i = 0;
        while (part < 3 && i < version.length()) {
            int start = i;
            while (i < version.length() && Character.isDigit(version.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            parts[part++] = Integer.parseInt(version.substring(start, i));
            if (i < version.length() && version.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        return parts;
    }
}
