package io.mhaserverless.node.binlog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a file this agent wrote back from the start, as a consumer would: magic, a format
 * description first, whole events to the last byte, every CRC32 right. Returns what it counted.
 */
public final class BinlogVerifier {

    public record Verified(long events, long transactions, long bytes) {
    }

    private BinlogVerifier() {
    }

    /** @return the events after the leading format description, and the transactions among them */
    public static Verified verify(Path file) throws IOException {
        try (BinlogReader reader = BinlogReader.open(file)) {
            long events = 0;
            TransactionTracker tracker = new TransactionTracker();
            boolean first = true;
            while (reader.next()) {
                if (first) {
                    if (reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                        throw new BinlogFormatException(file + ": the first event is " + reader.header().typeName()
                                + ", not a format description");
                    }
                    first = false;
                } else {
                    events++;
                    tracker.accept(reader);
                }
                if (!reader.checksumValid()) {
                    throw new BinlogFormatException(file + ": CRC32 mismatch in the " + reader.header().typeName()
                            + " event at offset " + reader.offset());
                }
            }
            if (reader.truncated()) {
                throw new BinlogFormatException(file + " ends inside an event at offset " + reader.validEnd());
            }
            if (first) {
                throw new BinlogFormatException(file + " holds no format description event");
            }
            return new Verified(events, tracker.transactions(), reader.size());
        }
    }
}
