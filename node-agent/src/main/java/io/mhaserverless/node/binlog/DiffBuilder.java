package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.Gtid;
import io.mhaserverless.core.mysql.GtidSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * MHA's apply_diff_relay_logs input, built as ONE raw binlog (MHA's concat_generated_binlogs):
 * the relay-log diff of a replica from a relay position (optionally up to and including the event
 * that ends at a source coordinate), then the events of saved binlogs. One file means one
 * mysqlbinlog run, so its implicit ROLLBACK at a file boundary cannot split a transaction.
 *
 * <p>The file starts with the source's format description (taken from the relay log, "in use"
 * flag cleared). From the relay logs it keeps the source's data events and drops the replica's own
 * events, the source's format description copies, ROTATEs and the GTID / checkpoint head events;
 * from each saved binlog it keeps everything after its format description but file metadata. When
 * the IO thread reconnected in the middle of a transaction (a source ROTATE inside a group) and the
 * source resumed at or before the transaction's start (GTID positioning), the part received before
 * is dropped, since the whole transaction follows; when it resumed inside it (file positioning),
 * the rest follows and the parts join. Groups whose GTID the target already has ({@link #skipping})
 * are left out, so that an apply that stopped half-way can be run again without writing twice.
 * A builder builds one file.
 */
public final class DiffBuilder {

    /** @param skipped groups left out because the target already had their GTID */
    public record Built(long events, long transactions, long bytes, boolean endsAtTransactionBoundary,
                        SourceCoordinate relayEnd, String gtids, long skipped) {
    }

    private final Consumer<String> log;
    private BinlogWriter writer;
    private FormatDescription headFormat;
    private long events;
    private final TransactionTracker tracker = new TransactionTracker();
    private long boundaryBytes;
    private long boundaryEvents;
    private long boundaryTransactions;
    private SourceCoordinate groupStart;
    private java.util.function.Predicate<Gtid> skip;
    private Gtid groupGtid;
    private long skipped;

    public DiffBuilder(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Leaves out every complete group whose GTID the target already has. {@code targetHas} is a MySQL
     * GTID set, or MariaDB's binlog state ({@code @@gtid_binlog_state}: the last GTID per domain AND
     * server): a MariaDB group counts as applied only when the target has its own server's GTIDs up
     * to it, so a transaction the target wrote itself never hides one it lacks.
     */
    public DiffBuilder skipping(String targetHas) {
        this.skip = GtidSet.parse(targetHas)::containsFromOrigin;
        return this;
    }

    /**
     * @param relay   the relay chain and where its diff starts; null for saved binlogs only
     * @param until   the source coordinate the relay diff ends at (inclusive); null for "to the end"
     */
    public Built build(RelayLogIndex index, RelayPosition relay, SourceCoordinate until, List<Path> savedBinlogs, Path out)
            throws IOException, PositionNotFoundException {
        SourceCoordinate relayEnd = null;
        try (BinlogWriter w = new BinlogWriter(out)) {
            writer = w;
            if (relay != null) {
                relayEnd = appendRelayDiff(index, relay, until);
            }
            for (Path saved : savedBinlogs) {
                appendSavedBinlog(saved);
            }
            if (headFormat == null) {
                throw new BinlogFormatException("nothing to build a binlog from: no relay diff and no saved binlog");
            }
            w.commit();
        } finally {
            writer = null;
        }
        BinlogVerifier.Verified verified = BinlogVerifier.verify(out);
        if (verified.events() != events) {
            throw new BinlogFormatException(out + " reads back as " + verified.events() + " events, but " + events + " were written");
        }
        if (!tracker.atBoundary()) {
            log.accept("the merged binlog ends inside a transaction: mysqlbinlog's closing ROLLBACK discards that transaction");
        }
        if (skipped > 0) {
            log.accept(skipped + " transactions left out: the target already has them");
        }
        return new Built(events, tracker.transactions(), verified.bytes(), tracker.atBoundary(), relayEnd, tracker.gtids().toString(),
                skipped);
    }

    private SourceCoordinate appendRelayDiff(RelayLogIndex index, RelayPosition start, SourceCoordinate until)
            throws IOException, PositionNotFoundException {
        byte[] format = sourceFormatEvent(index, start);
        writeHead(format, FormatDescription.parse(format), "the relay log");
        String lastFile = start.source().file();
        long lastPos = start.source().position();
        long relayEvents = 0;
        try (RelayWalker walker = new RelayWalker(index, start.fileIndex(), start.relayPos(), start.source().file(), log)
                .onFileEnd(writer::flushPending)) {
            while (walker.next()) {
                EventHeader h = walker.header();
                if (walker.own()) {
                    continue;
                }
                RotateEvent rotate = walker.sourceRotate();
                if (rotate != null && !tracker.atBoundary() && resendsGroup(rotate)) {
                    dropPartialGroup(walker);
                }
                long end = h.nextPosition();
                String endFile = walker.sourceFileOfEvent();
                if (!EventType.isFileMetadata(h.type())) {
                    if (h.type() == EventType.MARIADB_START_ENCRYPTION) {
                        throw new BinlogFormatException(walker.file() + " is encrypted; encrypted relay logs are not supported");
                    }
                    if (tracker.atBoundary()) {
                        groupStart = h.nextPosition() == 0 || walker.sourceFileOfEvent() == null ? null
                                : new SourceCoordinate(walker.sourceFileOfEvent(), h.nextPosition() - h.length());
                    }
                    append(walker.reader());
                    relayEvents++;
                }
                if (end != 0 && endFile != null) {
                    lastFile = endFile;
                    lastPos = end;
                    if (until != null && end == until.position() && endFile.equals(until.file())) {
                        writer.flushPending();
                        log.accept("relay diff: " + relayEvents + " events from " + start.source() + " up to " + until);
                        return until;
                    }
                }
            }
            writer.flushPending();
            if (until != null) {
                throw new PositionNotFoundException("--until-source " + until + ": no relay-log event after " + start.source()
                        + " ends there; the relay logs of " + index.indexFile() + " end at source " + lastFile + ":" + lastPos);
            }
        }
        log.accept("relay diff: " + relayEvents + " events from " + start.source() + " to the end of the relay logs (source "
                + lastFile + ":" + lastPos + ")");
        return new SourceCoordinate(lastFile, lastPos);
    }

    private void appendSavedBinlog(Path saved) throws IOException {
        try (BinlogReader reader = BinlogReader.open(saved)) {
            if (!reader.next() || reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                throw new BinlogFormatException(saved + " does not start with a format description event");
            }
            writeHead(reader.formatDescriptionEvent(), reader.formatDescription(), saved.toString());
            long before = events;
            while (reader.next()) {
                int type = reader.header().type();
                if (type == EventType.FORMAT_DESCRIPTION && reader.formatDescription().checksumAlgorithm() != headFormat.checksumAlgorithm()) {
                    throw new BinlogFormatException(saved + " changes binlog_checksum at offset " + reader.offset()
                            + "; it cannot be merged into one binlog");
                }
                if (!EventType.isFileMetadata(type)) {
                    append(reader);
                }
            }
            writer.flushPending();
            if (reader.truncated()) {
                log.accept(saved + " ends inside an event at offset " + reader.validEnd() + ": the cut-off event is left out");
            }
            log.accept("saved binlog " + saved + ": " + (events - before) + " events");
        }
    }

    private void append(BinlogReader reader) throws IOException {
        if (tracker.atBoundary()) {
            writer.flushPending();
            boundaryBytes = writer.bytes();
            boundaryEvents = events;
            boundaryTransactions = tracker.transactions();
            groupGtid = skip != null && EventType.isGtid(reader.header().type())
                    ? GtidEvents.gtidOf(reader.header(), reader.body()).orElse(null) : null;
        }
        writer.copy(reader);
        tracker.accept(reader);
        events++;
        if (groupGtid != null && tracker.atBoundary() && skip.test(groupGtid)) {
            writer.truncate(boundaryBytes); // a whole group the target has: out again
            events = boundaryEvents;
            tracker.resetToBoundary(boundaryTransactions);
            skipped++;
            groupGtid = null;
        }
    }

    /**
     * A source ROTATE inside a group: the IO thread reconnected. When the source resumes at or
     * before the group's start (GTID positioning, or a file position back at the group), it sends
     * the whole group again; when it resumes inside the group (file positioning continues where the
     * IO thread stopped), the rest of the group follows and nothing is dropped.
     */
    private boolean resendsGroup(RotateEvent rotate) {
        if (groupStart == null || !BinlogFileName.comparable(rotate.fileName(), groupStart.file())) {
            return true;
        }
        return new SourceCoordinate(rotate.fileName(), rotate.position()).compareTo(groupStart) <= 0;
    }

    /** Cuts the output back to the start of the unfinished group. */
    private void dropPartialGroup(RelayWalker walker) throws IOException {
        writer.flushPending();
        log.accept(walker.file().getFileName() + ":" + walker.reader().offset() + ": the source connection restarted inside a"
                + " transaction; its " + (events - boundaryEvents) + " events received before are dropped (it follows again whole)");
        writer.truncate(boundaryBytes);
        events = boundaryEvents;
        tracker.resetToBoundary(boundaryTransactions);
    }

    private void writeHead(byte[] formatEvent, FormatDescription format, String from) throws IOException {
        if (headFormat == null) {
            headFormat = format;
            writer.write(EventChecksum.closedFormatDescription(formatEvent, format));
            boundaryBytes = writer.bytes();
        } else if (format.checksumAlgorithm() != headFormat.checksumAlgorithm()) {
            throw new BinlogFormatException(from + " was written with binlog checksum " + format.checksumAlgorithm()
                    + " but the diff so far with " + headFormat.checksumAlgorithm() + "; they cannot be merged into one binlog");
        }
    }

    /**
     * The source's format description that governs the events at the start position: the last
     * source copy before it in its relay file, else the first one right after it (the position is
     * right after the source's fake ROTATE), else the last one of an earlier relay file.
     */
    static byte[] sourceFormatEvent(RelayLogIndex index, RelayPosition start) throws IOException {
        for (int i = start.fileIndex(); i >= 0; i--) {
            Path file = index.files().get(i);
            if (!java.nio.file.Files.exists(file)) {
                continue;
            }
            byte[] before = null;
            try (BinlogReader reader = BinlogReader.open(file)) {
                long own = -1;
                while (reader.next()) {
                    EventHeader h = reader.header();
                    if (own < 0) {
                        own = h.serverId();
                        continue;
                    }
                    boolean inStartFile = i == start.fileIndex();
                    if (h.type() == EventType.FORMAT_DESCRIPTION && h.serverId() != own) {
                        if (inStartFile && reader.offset() >= start.relayPos()) {
                            return before != null ? before : reader.formatDescriptionEvent();
                        }
                        before = reader.formatDescriptionEvent();
                    } else if (inStartFile && reader.offset() >= start.relayPos() && h.serverId() != own
                            && !EventType.isFileMetadata(h.type())) {
                        break;
                    }
                }
            }
            if (before != null) {
                return before;
            }
        }
        throw new BinlogFormatException("no copy of the source's format description in the relay logs of " + index.indexFile()
                + " up to " + start.relayFile().getFileName() + ":" + start.relayPos());
    }
}
