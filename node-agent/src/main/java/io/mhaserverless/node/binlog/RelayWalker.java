package io.mhaserverless.node.binlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Walks the events of a relay-log chain in order, across files, and keeps track of which source
 * binlog file the events come from.
 *
 * <p>The layout it relies on (MariaDB 10.x and MySQL 5.x–8.x): every relay file starts with the
 * replica's own format description (its own server id), MySQL adds its own PREVIOUS_GTIDS; a file
 * opened because the IO thread (re)connected then holds the source's fake ROTATE naming the source
 * file and position, then a copy of the source's format description; a file opened by FLUSH RELAY
 * LOGS or by size rotation holds no ROTATE, only the source format description copy (with next
 * position 0): its source file is the one the previous file ended in. The source's real ROTATE at
 * the end of each of its binlogs passes through (MariaDB then opens a new relay file, which starts
 * with a fake ROTATE to the new source file). Files end with the replica's own ROTATE to the next
 * relay file. Events of the source carry its coordinates in their next-position field, 0 for most
 * events the dump thread makes up. With MariaDB's GTID positioning a reconnect's fake ROTATE names
 * position 4 whatever the resume point: the source re-sends its file's head events (format
 * description, GTID_LIST, checkpoints) with their real end positions, then an artificial GTID_LIST
 * whose end position is where it resumes.
 */
final class RelayWalker implements Closeable {

    private final RelayLogIndex index;
    private final Consumer<String> log;
    private int fileIndex;
    private long startOffset;
    private BinlogReader reader;
    private long ownServerId = -1;
    private String sourceFile;
    private String sourceFileOfEvent;
    private RotateEvent sourceRotate;
    private boolean truncatedTail;
    private int filesOpened;
    private FileEnd fileEnd = () -> { };
    private int endExclusive = Integer.MAX_VALUE;

    /** Runs before a relay file is closed (a writer copying ranges out of it flushes them then). */
    @FunctionalInterface
    interface FileEnd {
        void run() throws IOException;
    }

    RelayWalker(RelayLogIndex index, int fromFile, long fromOffset, String sourceFile, Consumer<String> log) {
        this.index = index;
        this.fileIndex = fromFile - 1;
        this.startOffset = fromOffset;
        this.sourceFile = sourceFile;
        this.log = log;
    }

    /** Moves to the next event of the chain; false after the last event of the last file. */
    boolean next() throws IOException {
        sourceRotate = null;
        while (true) {
            if (reader == null && !openNext()) {
                return false;
            }
            if (reader.next()) {
                EventHeader h = reader.header();
                sourceFileOfEvent = sourceFile;
                if (h.type() == EventType.ROTATE && h.serverId() != ownServerId) {
                    sourceRotate = RotateEvent.parse(reader.body());
                    sourceFile = sourceRotate.fileName();
                }
                return true;
            }
            if (reader.truncated()) {
                boolean last = fileIndex == index.files().size() - 1;
                truncatedTail = last;
                log.accept(reader.file().getFileName() + " ends inside an event at offset " + reader.validEnd() + " (of "
                        + reader.size() + " bytes)" + (last ? ": the relay log is read up to there" : ", yet newer relay files follow it"));
            }
            fileEnd.run();
            reader.close();
            reader = null;
        }
    }

    /** Stops before the relay file at index {@code endExclusive}. */
    RelayWalker until(int endExclusive) {
        this.endExclusive = endExclusive;
        return this;
    }

    RelayWalker onFileEnd(FileEnd action) {
        this.fileEnd = action;
        return this;
    }

    private boolean openNext() throws IOException {
        while (++fileIndex < Math.min(index.files().size(), endExclusive)) {
            Path file = index.files().get(fileIndex);
            if (!Files.exists(file)) {
                log.accept("relay file " + file + " is listed in " + index.indexFile() + " but does not exist; skipped");
                sourceFile = null;
                continue;
            }
            reader = BinlogReader.open(file);
            filesOpened++;
            if (!reader.next()) {
                // a relay file the server has only just created (magic bytes, maybe part of its first event)
                log.accept("relay file " + file + " holds no whole event yet; skipped");
                reader.close();
                reader = null;
                continue;
            }
            if (reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                throw new BinlogFormatException(file + " does not start with a format description event: not a relay log");
            }
            ownServerId = reader.header().serverId();
            long from = startOffset > BinlogReader.MAGIC.length ? startOffset : BinlogReader.MAGIC.length;
            startOffset = 0;
            reader.seek(from);
            return true;
        }
        return false;
    }

    BinlogReader reader() {
        return reader;
    }

    EventHeader header() {
        return reader.header();
    }

    int fileIndex() {
        return fileIndex;
    }

    Path file() {
        return reader.file();
    }

    long ownServerId() {
        return ownServerId;
    }

    /** An event the replica wrote itself (its format description, its ROTATE to the next relay file, …). */
    boolean own() {
        return reader.header().serverId() == ownServerId;
    }

    /** The current event, when it is the source's ROTATE (fake or real). */
    RotateEvent sourceRotate() {
        return sourceRotate;
    }

    /** The source file the events continue in (after the current event); null when no relay file named it yet. */
    String sourceFile() {
        return sourceFile;
    }

    /** The source file the current event's next-position field refers to (for a ROTATE: the file it leaves). */
    String sourceFileOfEvent() {
        return sourceFileOfEvent;
    }

    boolean truncatedTail() {
        return truncatedTail;
    }

    int filesOpened() {
        return filesOpened;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            fileEnd.run();
            reader.close();
            reader = null;
        }
    }
}
