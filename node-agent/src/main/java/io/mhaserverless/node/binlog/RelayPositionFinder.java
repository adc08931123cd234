package io.mhaserverless.node.binlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * MHA's relay-log position search ({@code find_target_relay_log}, with {@code fast_find_pos} as its
 * first step): given a source coordinate — normally a lagging replica's Relay_Master_Log_File /
 * Exec_Master_Log_Pos — find where, in this replica's relay logs, the events after it start.
 *
 * <p>The answer is the relay offset right after the event whose header next-position equals the
 * target position while the source file is the target file (or after a source ROTATE that names
 * exactly the target file and position). Offsets are summed from event lengths.
 *
 * <p>Every (re)connect of the IO thread starts a relay file with the source's fake ROTATE: a
 * <em>connection</em> is that file and the files after it up to the next such one (FLUSH RELAY
 * LOGS and size rotation open files without a ROTATE; the source file name carries over). Only the
 * heads of the files are read to find the connections; they are then searched newest first, each
 * only if its head is at or before the target, and each scan stops once it has passed the target.
 * When the newest connection is on the target's source file, that is MHA's fast path.
 *
 * <p>A match counts only if the source's events continue right after it: the first data event that
 * follows starts exactly at the target. That rejects the copies a reconnect made of a source file's
 * head events: with MariaDB GTID positioning the source sends ROTATE (file, 4), the file's head
 * events again, then jumps (an artificial GTID_LIST ending where it resumes) — events after those
 * head copies are not in that connection, they are in an older one.
 */
public final class RelayPositionFinder {

    private static final int HEAD_EVENTS = 16;

    private final RelayLogIndex index;
    private final Consumer<String> log;

    public RelayPositionFinder(RelayLogIndex index, Consumer<String> log) {
        this.index = index;
        this.log = log;
    }

    private record Connection(int first, int end, SourceCoordinate head) {
    }

    public RelayPosition find(SourceCoordinate target) throws IOException, PositionNotFoundException {
        List<Connection> connections = connections();
        List<Path> missing = new ArrayList<>(index.files().stream().filter(f -> !Files.exists(f)).toList());
        boolean truncated = false;
        List<String> searched = new ArrayList<>();
        int filesScanned = 0;
        for (int c = connections.size() - 1; c >= 0; c--) {
            Connection conn = connections.get(c);
            if (!BinlogFileName.comparable(conn.head().file(), target.file()) || conn.head().compareTo(target) > 0) {
                continue;
            }
            if (c == connections.size() - 1 && conn.head().file().equals(target.file())) {
                log.accept("the newest connection (" + name(conn.first()) + ", from source " + conn.head()
                        + ") starts on the target's source file, before it: searched first (MHA's fast path)");
            }
            Scan scan = scan(conn, target, filesScanned);
            filesScanned = scan.filesScanned();
            truncated |= scan.truncatedTail();
            if (scan.found() != null) {
                return scan.found();
            }
            searched.add(name(conn.first()) + (conn.end() - conn.first() > 1 ? "…" + name(conn.end() - 1) : "") + " (source "
                    + conn.head() + " … " + (scan.lastSeen() == null ? conn.head() : scan.lastSeen()) + ")");
        }
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(missing.get(0).toString(), null, "listed in " + index.indexFile()
                    + " but does not exist, and source position " + target + " is not in the relay files that do");
        }
        String where = connections.isEmpty() ? "no relay file names its source file (no source ROTATE)"
                : searched.isEmpty() ? "every connection starts after it (first: source " + connections.get(0).head() + ")"
                : "searched " + String.join(", ", searched);
        throw new PositionNotFoundException("no event in the relay logs of " + index.indexFile() + " (" + index.describe()
                + ") ends at source position " + target + " with the source's events continuing after it; " + where
                + (truncated ? "; the last relay file ends inside an event" : ""));
    }

    private record Scan(RelayPosition found, SourceCoordinate lastSeen, int filesScanned, boolean truncatedTail) {
    }

    /** Scans one connection for the target; stops when its events have passed it. */
    private Scan scan(Connection conn, SourceCoordinate target, int filesScannedBefore) throws IOException {
        String targetFile = target.file();
        long targetPos = target.position();
        String lastFile = null;
        long lastPos = 0;
        int order = -1;
        try (RelayWalker walker = new RelayWalker(index, conn.first(), 0, null, log).until(conn.end())) {
            while (walker.next()) {
                EventHeader h = walker.header();
                if (h.serverId() == walker.ownServerId()) {
                    continue;
                }
                String file = walker.sourceFileOfEvent();
                long next = h.nextPosition();
                RotateEvent rotate = walker.sourceRotate();
                boolean match = next == targetPos && targetFile.equals(file)
                        || rotate != null && rotate.position() == targetPos && rotate.fileName().equals(targetFile);
                if (match) {
                    RelayPosition p = new RelayPosition(walker.fileIndex(), walker.file(), walker.reader().endOffset(), target,
                            filesScannedBefore + walker.filesOpened(), walker.ownServerId());
                    if (continuesAt(p, target)) {
                        log.accept("source " + target + " ends the " + h.typeName() + " event at " + walker.file().getFileName()
                                + ":" + walker.reader().offset() + "; the events after it start at " + walker.file().getFileName()
                                + ":" + p.relayPos() + " (" + p.filesScanned() + " relay file(s) scanned)");
                        return new Scan(p, null, p.filesScanned(), false);
                    }
                    log.accept("the " + h.typeName() + " event at " + walker.file().getFileName() + ":" + walker.reader().offset()
                            + " ends at source " + target + ", but the source's events do not continue there"
                            + " (a reconnect re-sent the head of " + targetFile + "); looking further");
                }
                if (next != 0 && file != null && !EventType.isFileMetadata(h.type())) {
                    if (!file.equals(lastFile)) {
                        // the source file changed: where does it stand against the target's (parsed once per file)
                        order = file.equals(targetFile) ? 0
                                : BinlogFileName.comparable(file, targetFile) ? Integer.signum(BinlogFileName.compare(file, targetFile)) : -1;
                    }
                    lastFile = file;
                    lastPos = next;
                    if (order > 0 || order == 0 && next > targetPos) {
                        break; // this connection has passed the target
                    }
                }
            }
            return new Scan(null, lastFile == null ? null : new SourceCoordinate(lastFile, lastPos),
                    filesScannedBefore + walker.filesOpened(), walker.truncatedTail());
        }
    }

    /**
     * Whether the source's events continue at the target right after a match: walking the source
     * events that follow, up to the first data event, the stream position must come back to (or
     * stay at) the target and the data event must start there. A ROTATE sets the stream position;
     * one to before the target means the source re-sends from earlier; an artificial event ending
     * after the target (MariaDB's GTID_LIST at the point it resumes) means a jump over it.
     */
    private boolean continuesAt(RelayPosition match, SourceCoordinate target) throws IOException {
        String file = target.file();
        long pos = target.position();
        boolean resent = false;
        try (RelayWalker walker = new RelayWalker(index, match.fileIndex(), match.relayPos(), file, line -> { })) {
            while (walker.next()) {
                EventHeader h = walker.header();
                if (h.serverId() == walker.ownServerId()) {
                    continue;
                }
                RotateEvent rotate = walker.sourceRotate();
                if (rotate != null) {
                    SourceCoordinate to = new SourceCoordinate(rotate.fileName(), rotate.position());
                    SourceCoordinate at = new SourceCoordinate(file, pos);
                    if (h.nextPosition() == 0 && BinlogFileName.comparable(to.file(), file) && to.compareTo(at) < 0) {
                        resent = true; // the source starts again before the target
                    } else if (!resent) {
                        file = to.file();
                        pos = to.position();
                    }
                    continue;
                }
                long end = h.nextPosition();
                if (end == 0) {
                    continue;
                }
                if (EventType.isFileMetadata(h.type())) {
                    boolean artificial = (h.flags() & EventHeader.FLAG_ARTIFICIAL) != 0 || h.timestamp() == 0;
                    if (resent) {
                        if (end == pos) {
                            resent = false;
                        } else if (end > pos) {
                            return false;
                        }
                    } else if (end > pos) {
                        if (artificial) {
                            return false;
                        }
                        pos = end;
                    }
                    continue;
                }
                return !resent && end - h.length() == pos;
            }
            return true;
        }
    }

    /** Relay files whose head names the source file (a connection's first file), in index order. */
    private List<Connection> connections() throws IOException {
        List<Integer> firsts = new ArrayList<>();
        List<SourceCoordinate> heads = new ArrayList<>();
        for (int i = 0; i < index.files().size(); i++) {
            SourceCoordinate head = headRotate(index.files().get(i));
            if (head != null) {
                firsts.add(i);
                heads.add(head);
            }
        }
        if (!firsts.isEmpty() && firsts.get(0) > 1) {
            log.accept("relay files before " + name(firsts.get(0)) + " name no source file (older relay logs purged?); they are not searched");
        }
        List<Connection> connections = new ArrayList<>();
        for (int c = 0; c < firsts.size(); c++) {
            int end = c + 1 < firsts.size() ? firsts.get(c + 1) : index.files().size();
            connections.add(new Connection(firsts.get(c), end, heads.get(c)));
        }
        return connections;
    }

    private String name(int fileIndex) {
        return index.files().get(fileIndex).getFileName().toString();
    }

    /**
     * The source coordinate a relay file's head names (the fake ROTATE the source sends when the IO
     * thread connects), or null when the file has none (FLUSH RELAY LOGS, size rotation) or is missing.
     */
    static SourceCoordinate headRotate(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (BinlogReader reader = BinlogReader.open(file)) {
            if (!reader.next() || reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                return null;
            }
            long own = reader.header().serverId();
            for (int n = 0; n < HEAD_EVENTS && reader.next(); n++) {
                EventHeader h = reader.header();
                if (h.serverId() == own) {
                    continue;
                }
                if (h.type() == EventType.ROTATE) {
                    RotateEvent r = RotateEvent.parse(reader.body());
                    return new SourceCoordinate(r.fileName(), r.position());
                }
                if (h.type() != EventType.FORMAT_DESCRIPTION && h.nextPosition() != 0) {
                    return null; // source data before any ROTATE
                }
            }
            return null;
        }
    }
}
