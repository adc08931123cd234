package io.mhaserverless.core.mysql;

import java.util.Locale;
import java.util.UUID;

/**
 * The GTID of one transaction, in its family's notation: MariaDB's {@code domain-server-seq} or
 * MySQL's {@code uuid[:tag]:number}. The node agent reads them from binlog events; {@link GtidSet}s
 * say whether a server already has one.
 */
public sealed interface Gtid permits Gtid.MariaDb, Gtid.MySql {

    /** MariaDB: {@code domain-server-seq}; all three unsigned (a sequence number may use the 64th bit). */
    record MariaDb(long domain, long server, long sequence) implements Gtid {
        @Override
        public String toString() {
            return Long.toUnsignedString(domain) + "-" + Long.toUnsignedString(server) + "-" + Long.toUnsignedString(sequence);
        }
    }

    /**
     * MySQL: {@code uuid:number}, or {@code uuid:tag:number} for tagged GTIDs (8.3+); number 0 is an
     * anonymous group (gtid_mode OFF). The server compares tags case-insensitively, so they are kept in lower case.
     */
    record MySql(UUID source, String tag, long number) implements Gtid {
        public MySql {
            tag = tag == null ? "" : tag.toLowerCase(Locale.ROOT);
        }

        public boolean anonymous() {
            return number == 0;
        }

        /** {@code uuid} or {@code uuid:tag}: what a GTID set groups intervals by. */
        public String key() {
            return tag.isEmpty() ? source.toString() : source + ":" + tag;
        }

        @Override
        public String toString() {
            return key() + ":" + number;
        }
    }
}
