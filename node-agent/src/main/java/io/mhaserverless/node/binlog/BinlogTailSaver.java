package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.Gtid;
import io.mhaserverless.core.mysql.GtidSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * MHA's save_binary_logs (raw mode, {@code BinlogManager::concat_all_binlogs_from}): the tail of a
 * (dead) server's binlog as one raw binlog file. It holds the magic bytes, the start file's format
 * description (with its "in use" flag cleared), then every event from the start to the end of the
 * newest file, across rotations in sequence order. The later files' own head events (format
 * description, GTID_LIST / PREVIOUS_GTIDS, BINLOG_CHECKPOINT) and ROTATE / STOP events are left
 * out; headers stay as written (their next-position fields then no longer match the offsets, as in
 * a relay log). A final event cut off by a crash is dropped. The result is read back before it is
 * reported.
 */
public final class BinlogTailSaver {

    /** Where the tail starts: a position (an event boundary, normally a transaction boundary) or a GTID set. */
    public sealed interface Start permits Start.At, Start.AfterGtids {
        record At(SourceCoordinate position) implements Start {
        }

        record AfterGtids(GtidSet executed) implements Start {
        }
    }

    public record Result(boolean nothingNewer, Path out, long bytes, long events, long transactions,
                         SourceCoordinate from, SourceCoordinate lastEnd, boolean truncatedTail,
                         boolean lastTransactionComplete, String gtids) {
    }

    private final BinlogDirectory directory;
    private final Consumer<String> log;

    public BinlogTailSaver(BinlogDirectory directory, Consumer<String> log) {
        this.directory = directory;
        this.log = log;
    }

    public Result save(Start start, Path out) throws IOException {
        if (directory.files().isEmpty()) {
            throw new BinlogFormatException("no " + directory.prefix() + ".NNNNNN binlog files in " + directory.directory());
        }
        SourceCoordinate from = start instanceof Start.At at
                ? checkedPosition(at.position())
                : firstGroupNotIn(((Start.AfterGtids) start).executed());
        BinlogFileName last = directory.files().get(directory.files().size() - 1);
        if (from == null) {
            SourceCoordinate end = new SourceCoordinate(last.name(), fileEnd(directory.path(last)));
            log.accept("every event group of " + directory.describe() + " is in the given GTID set: nothing newer");
            return new Result(true, out, 0, 0, 0, end, end, false, true, "");
        }
        return copyFrom(from, out);
    }

    private Result copyFrom(SourceCoordinate from, Path out) throws IOException {
        int first = directory.indexOf(from.file());
        BinlogFileHead head = BinlogFileHead.read(directory.path(directory.files().get(first)));
        FormatDescription current = head.format();
        long events = 0;
        boolean truncatedTail = false;
        SourceCoordinate lastEnd = from;
        TransactionTracker tracker = new TransactionTracker();
        long boundaryBytes = 0;
        long boundaryEvents = 0;
        long boundaryTransactions = 0;
        try (BinlogWriter writer = new BinlogWriter(out)) {
            writer.write(EventChecksum.closedFormatDescription(head.formatEvent(), head.format()));
            for (int i = first; i < directory.files().size(); i++) {
                BinlogFileName name = directory.files().get(i);
                boolean lastFile = i == directory.files().size() - 1;
                try (BinlogReader reader = BinlogReader.open(directory.path(name))) {
                    if (i == first) {
                        reader.seek(from.position());
                    }
                    while (reader.next()) {
                        EventHeader h = reader.header();
                        if (h.type() == EventType.FORMAT_DESCRIPTION && i != first
                                && reader.formatDescription().checksumAlgorithm() != current.checksumAlgorithm()) {
                            // binlog_checksum changed across a restart: the events after need their own description
                            writer.write(EventChecksum.closedFormatDescription(reader.formatDescriptionEvent(), reader.formatDescription()));
                            current = reader.formatDescription();
                            log.accept(name.name() + " was written with another binlog_checksum; its format description is kept");
                            continue;
                        }
                        if (EventType.isFileMetadata(h.type())) {
                            continue;
                        }
                        if (h.type() == EventType.MARIADB_START_ENCRYPTION) {
                            throw new BinlogFormatException(directory.path(name) + " is encrypted (START_ENCRYPTION at offset "
                                    + reader.offset() + "); encrypted binlogs cannot be saved raw");
                        }
                        if (tracker.atBoundary()) {
                            writer.flushPending();
                            boundaryBytes = writer.bytes();
                            boundaryEvents = events;
                            boundaryTransactions = tracker.transactions();
                        }
                        writer.copy(reader);
                        tracker.accept(reader);
                        events++;
                    }
                    writer.flushPending();
                    lastEnd = new SourceCoordinate(name.name(), reader.validEnd());
                    if (reader.truncated()) {
                        truncatedTail = lastFile;
                        log.accept(name.name() + " ends inside an event at offset " + reader.validEnd() + " (of "
                                + reader.size() + " bytes): the cut-off event is left out");
                    }
                    if (!lastFile && !tracker.atBoundary()) {
                        // a server never splits a transaction across binlog files: this one was cut by a crash, and the
                        // server's recovery rolled it back before it went on in the next file
                        log.accept(name.name() + " ends inside a transaction (a crash before the next file was opened):"
                                + " its " + (events - boundaryEvents) + " events are left out");
                        writer.truncate(boundaryBytes);
                        events = boundaryEvents;
                        tracker.resetToBoundary(boundaryTransactions);
                    }
                }
            }
            if (events == 0) {
                log.accept("nothing after " + from + " up to " + lastEnd + " but file metadata");
                return new Result(true, out, 0, 0, 0, from, lastEnd, truncatedTail, true, "");
            }
            writer.commit();
        }
        BinlogVerifier.Verified verified = BinlogVerifier.verify(out);
        if (verified.events() != events) {
            throw new BinlogFormatException(out + " reads back as " + verified.events() + " events, but " + events + " were written");
        }
        if (!tracker.atBoundary()) {
            log.accept("the saved binlog ends inside a transaction (" + lastEnd + "): applying it rolls that transaction back");
        }
        log.accept("saved " + events + " events (" + tracker.transactions() + " transactions, " + verified.bytes()
                + " bytes) from " + from + " to " + lastEnd + " into " + out);
        return new Result(false, out, verified.bytes(), events, tracker.transactions(), from, lastEnd, truncatedTail,
                tracker.atBoundary(), tracker.gtids().toString());
    }

    /** The start position must name a file of the directory and an event boundary in it. */
    private SourceCoordinate checkedPosition(SourceCoordinate position) throws IOException {
        int index = directory.indexOf(position.file());
        if (index < 0) {
            throw new BinlogFormatException(position.file() + " is not in " + directory.directory() + " (it has "
                    + directory.describe() + ")");
        }
        Path file = directory.path(directory.files().get(index));
        try (BinlogReader reader = BinlogReader.open(file)) {
            if (position.position() < BinlogReader.MAGIC.length) {
                throw new BinlogFormatException("position " + position.position() + " is inside the magic bytes of " + file);
            }
            while (reader.next()) {
                if (reader.offset() == position.position()) {
                    return position;
                }
                if (reader.offset() > position.position()) {
                    throw new BinlogFormatException("position " + position.position() + " is not an event boundary in " + file
                            + " (events start at " + previousStart(file, position.position()) + " and " + reader.offset() + ")");
                }
            }
            if (reader.validEnd() == position.position()) {
                return position;
            }
            throw new BinlogFormatException("position " + position.position() + " is beyond the last whole event of " + file
                    + " (which ends at " + reader.validEnd() + ")");
        }
    }

    private static long previousStart(Path file, long position) throws IOException {
        long previous = BinlogReader.MAGIC.length;
        try (BinlogReader reader = BinlogReader.open(file)) {
            while (reader.next() && reader.offset() < position) {
                previous = reader.offset();
            }
        }
        return previous;
    }

    /**
     * The first event group whose GTID the set lacks: the newest file whose head (GTID_LIST /
     * PREVIOUS_GTIDS) the set covers is where the search starts. Null when there is none.
     */
    private SourceCoordinate firstGroupNotIn(GtidSet executed) throws IOException {
        int start = 0;
        for (int i = directory.files().size() - 1; i >= 0; i--) {
            GtidSet before = BinlogFileHead.read(directory.path(directory.files().get(i))).executedBefore();
            if (before != null && executed.contains(before)) {
                start = i;
                break;
            }
            if (i == 0) {
                log.accept("the given GTID set lacks transactions from before the oldest binlog " + directory.files().get(0).name()
                        + " (executed before it: " + before + "); saving from its start");
            }
        }
        boolean sawGtid = false;
        for (int i = start; i < directory.files().size(); i++) {
            BinlogFileName name = directory.files().get(i);
            try (BinlogReader reader = BinlogReader.open(directory.path(name))) {
                while (reader.next()) {
                    EventHeader h = reader.header();
                    if (!EventType.isGtid(h.type())) {
                        continue;
                    }
                    sawGtid = true;
                    Gtid gtid = GtidEvents.gtidOf(h, reader.body()).orElseThrow();
                    if (!executed.contains(gtid)) {
                        log.accept("first transaction not in " + executed + ": " + gtid + " at " + name.name() + ":" + reader.offset());
                        return new SourceCoordinate(name.name(), reader.offset());
                    }
                }
            }
        }
        if (!sawGtid) {
            throw new BinlogFormatException(directory.describe() + " in " + directory.directory()
                    + " holds no GTID events from " + directory.files().get(start).name() + " on: use --from FILE:POS");
        }
        return null;
    }

    private static long fileEnd(Path file) throws IOException {
        try (BinlogReader reader = BinlogReader.open(file)) {
            while (reader.next()) {
                // walk to the last whole event
            }
            return reader.validEnd();
        }
    }
}
