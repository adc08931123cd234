package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.GtidSet;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The head of a binlog file: its format description and what it says was executed before the
 * file (MariaDB GTID_LIST, MySQL PREVIOUS_GTIDS; null when the file has neither).
 */
public record BinlogFileHead(FormatDescription format, byte[] formatEvent, GtidSet executedBefore) {

    /** Reads events from the start of {@code file} up to the first one that carries data. */
    public static BinlogFileHead read(Path file) throws IOException {
        try (BinlogReader reader = BinlogReader.open(file)) {
            if (!reader.next() || reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                throw new BinlogFormatException(file + " does not start with a format description event"
                        + (reader.truncated() ? " (the file ends inside its first event)" : ""));
            }
            FormatDescription format = reader.formatDescription();
            byte[] formatEvent = reader.formatDescriptionEvent();
            GtidSet before = null;
            while (reader.next() && EventType.isFileMetadata(reader.header().type())) {
                int type = reader.header().type();
                if (type == EventType.MARIADB_GTID_LIST) {
                    before = GtidEvents.gtidList(reader.body());
                } else if (type == EventType.PREVIOUS_GTIDS) {
                    before = GtidEvents.previousGtids(reader.body());
                }
            }
            return new BinlogFileHead(format, formatEvent, before);
        }
    }
}
