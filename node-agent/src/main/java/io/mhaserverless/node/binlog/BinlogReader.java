package io.mhaserverless.node.binlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the events of one binlog or relay-log file by their headers, reading a body only when
 * asked: {@link #next()} costs a header, so scanning a relay log for a position reads little more
 * than the headers. File offsets come from summing event lengths (4 + Σ length), never from the
 * headers' next-position fields, which in a relay log are the source's coordinates.
 *
 * <p>The file's size is taken when it is opened; a file that ends inside an event (a crash, a copy
 * taken while the writer was appending) ends the walk there: {@link #truncated()} then says so and
 * {@link #validEnd()} is where the last whole event ended.
 *
 * <p>Files up to 2 GiB are memory-mapped: reading a header then touches one page, and the bodies
 * that nobody asks for are never copied. Larger files are read through a 64 KiB window.
 */
public final class BinlogReader implements Closeable {

    /** 0xFE 'b' 'i' 'n'. */
    public static final byte[] MAGIC = {(byte) 0xfe, 0x62, 0x69, 0x6e};
    private static final int WINDOW = 64 * 1024;
    /** Larger than any event a server writes (max_allowed_packet is at most 1 GiB). */
    private static final long MAX_EVENT_LENGTH = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer mapped;
    private final byte[] window;
    private final ByteBuffer windowBuffer;
    private long windowStart;
    private int windowLength;

    private long offset;
    private long nextOffset = MAGIC.length;
    private EventHeader header;
    private byte[] event;
    private boolean truncated;
    private FormatDescription format;
    private byte[] formatEvent;

    private BinlogReader(Path file, FileChannel channel, boolean mapIfPossible) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        if (mapIfPossible && size > 0 && size <= Integer.MAX_VALUE) {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            m.order(ByteOrder.LITTLE_ENDIAN);
            this.mapped = m;
            this.window = null;
            this.windowBuffer = null;
        } else {
            this.mapped = null;
            this.window = new byte[WINDOW];
            this.windowBuffer = ByteBuffer.wrap(window);
        }
    }

    /** Opens a file and checks its magic bytes. */
    public static BinlogReader open(Path file) throws IOException {
        return open(file, true);
    }

    /** With {@code mapIfPossible} false it reads through the window as for files over 2 GiB (tests use both ways). */
    static BinlogReader open(Path file, boolean mapIfPossible) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        BinlogReader reader = new BinlogReader(file, channel, mapIfPossible);
        try {
            if (reader.size < MAGIC.length || !reader.startsWithMagic()) {
                throw new BinlogFormatException(file + " is not a binlog (it does not start with the binlog magic bytes)");
            }
            reader.readLeadingFormatDescription();
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private boolean startsWithMagic() throws IOException {
        if (mapped != null) {
            for (int i = 0; i < MAGIC.length; i++) {
                if (mapped.get(i) != MAGIC[i]) {
                    return false;
                }
            }
            return true;
        }
        if (!fill(0, MAGIC.length)) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (window[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Knows the file's checksum setting from the start, also when the first {@link #next()} comes after a {@link #seek}. */
    private void readLeadingFormatDescription() throws IOException {
        if (next() && header.type() != EventType.FORMAT_DESCRIPTION) {
            format = null;
            formatEvent = null;
        }
        nextOffset = MAGIC.length;
        header = null;
        event = null;
        truncated = false;
    }

    /**
     * Moves to the next event. False at the end of the file, or when the rest of the file is shorter
     * than the next event (then {@link #truncated()} is true).
     */
    public boolean next() throws IOException {
        offset = nextOffset;
        header = null;
        event = null;
        long remaining = size - offset;
        if (remaining <= 0) {
            return false;
        }
        if (remaining < EventHeader.LENGTH) {
            truncated = true;
            return false;
        }
        EventHeader h;
        if (mapped != null) {
            h = mappedHeader((int) offset);
        } else {
            fill(offset, EventHeader.LENGTH);
            h = EventHeader.parse(window, (int) (offset - windowStart));
        }
        if (h.length() < EventHeader.LENGTH || h.length() > MAX_EVENT_LENGTH) {
            throw new BinlogFormatException(file + ": event at offset " + offset + " has an impossible length "
                    + h.length() + " (type " + h.typeName() + "): the file is corrupt or not a binlog");
        }
        if (h.length() > remaining) {
            truncated = true;
            return false;
        }
        header = h;
        nextOffset = offset + h.length();
        if (h.type() == EventType.FORMAT_DESCRIPTION) {
            formatEvent = eventBytes();
            format = FormatDescription.parse(formatEvent);
        }
        return true;
    }

    /** Positions the reader so that the next {@link #next()} reads the event starting at {@code eventOffset}. */
    public void seek(long eventOffset) {
        if (eventOffset < MAGIC.length) {
            throw new IllegalArgumentException("offset " + eventOffset + " is inside the magic bytes of " + file);
        }
        nextOffset = eventOffset;
        header = null;
        event = null;
        truncated = false;
    }

    public EventHeader header() {
        if (header == null) {
            throw new IllegalStateException("no current event");
        }
        return header;
    }

    /** Start offset of the current event in this file. */
    public long offset() {
        return offset;
    }

    /** Offset right after the current event. */
    public long endOffset() {
        return offset + header().length();
    }

    /** The whole current event: header, body and checksum. */
    public byte[] eventBytes() throws IOException {
        if (event == null) {
            int length = (int) header().length();
            byte[] bytes = new byte[length];
            if (mapped != null) {
                mappedCopy((int) offset, bytes);
            } else if (offset >= windowStart && offset + length <= windowStart + windowLength) {
                System.arraycopy(window, (int) (offset - windowStart), bytes, 0, length);
            } else if (length <= WINDOW) {
                fill(offset, length);
                System.arraycopy(window, (int) (offset - windowStart), bytes, 0, length);
            } else {
                ByteBuffer target = ByteBuffer.wrap(bytes);
                long at = offset;
                while (target.hasRemaining()) {
                    int n = channel.read(target, at);
                    if (n < 0) {
                        throw new BinlogFormatException(file + " shrank while it was read (at offset " + at + ")");
                    }
                    at += n;
                }
            }
            event = bytes;
        }
        return event;
    }

    /** The current event's body: without the header and without the checksum the last format description announced. */
    public byte[] body() throws IOException {
        byte[] bytes = eventBytes();
        int checksum = header.type() == EventType.FORMAT_DESCRIPTION || format == null ? 0 : format.checksumLength();
        int length = bytes.length - EventHeader.LENGTH - checksum;
        if (length < 0) {
            throw new BinlogFormatException(file + ": event at offset " + offset + " is shorter than its checksum");
        }
        byte[] body = new byte[length];
        System.arraycopy(bytes, EventHeader.LENGTH, body, 0, length);
        return body;
    }

    /** Whether the current event's CRC32 matches (true when the last format description announced no checksums). */
    public boolean checksumValid() throws IOException {
        if (format == null || !format.crc32()) {
            return true;
        }
        return EventChecksum.valid(eventBytes(), header().type());
    }

    /** The last format description met so far (the current event's own when it is one); null before the first. */
    public FormatDescription formatDescription() {
        return format;
    }

    /** The raw bytes of {@link #formatDescription()}. */
    public byte[] formatDescriptionEvent() {
        return formatEvent;
    }

    /** True once {@link #next()} stopped because the file ends inside an event. */
    public boolean truncated() {
        return truncated;
    }

    /** Where the last whole event read so far ends (4 before any). */
    public long validEnd() {
        return header != null ? offset + header.length() : offset;
    }

    public long size() {
        return size;
    }

    public Path file() {
        return file;
    }

    public FileChannel channel() {
        return channel;
    }

    private EventHeader mappedHeader(int at) throws BinlogFormatException {
        try {
            return new EventHeader(mapped.getInt(at) & 0xffffffffL, mapped.get(at + 4) & 0xff, mapped.getInt(at + 5) & 0xffffffffL,
                    mapped.getInt(at + 9) & 0xffffffffL, mapped.getInt(at + 13) & 0xffffffffL, mapped.getShort(at + 17) & 0xffff);
        } catch (InternalError e) {
            throw changedWhileRead(at);
        }
    }

    private void mappedCopy(int at, byte[] into) throws BinlogFormatException {
        try {
            mapped.get(at, into);
        } catch (InternalError e) {
            throw changedWhileRead(at);
        }
    }

    /** A mapped file cut shorter under the reader (SIGBUS, which the JVM reports as InternalError). */
    private BinlogFormatException changedWhileRead(long at) {
        return new BinlogFormatException(file + " was truncated while it was read (at offset " + at + ")");
    }

    /** Makes the window hold [at, at+n); false if the file is shorter. */
    private boolean fill(long at, int n) throws IOException {
        if (at >= windowStart && at + n <= windowStart + windowLength) {
            return true;
        }
        windowStart = at;
        windowLength = 0;
        windowBuffer.clear();
        while (windowLength < n) {
            int read = channel.read(windowBuffer, at + windowLength);
            if (read < 0) {
                return false;
            }
            windowLength += read;
            if (windowLength < n && !windowBuffer.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
