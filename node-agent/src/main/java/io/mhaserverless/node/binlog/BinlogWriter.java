package io.mhaserverless.node.binlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a raw binlog file: the magic bytes, then events, either given as bytes or copied as byte
 * ranges straight from another file (adjacent ranges of the same file are merged into one copy).
 * It writes to {@code <out>.partial} and renames on {@link #commit()}, so a reader never sees half a file.
 */
public final class BinlogWriter implements Closeable {

    private final Path out;
    private final Path partial;
    private final FileChannel channel;
    private long bytes;
    private FileChannel pendingSource;
    private long pendingStart;
    private long pendingEnd;
    private boolean committed;

    public BinlogWriter(Path out) throws IOException {
        this.out = out;
        this.partial = out.resolveSibling(out.getFileName() + ".partial");
        this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        write(BinlogReader.MAGIC);
    }

    public void write(byte[] event) throws IOException {
        flushPending();
        ByteBuffer b = ByteBuffer.wrap(event);
        while (b.hasRemaining()) {
            bytes += channel.write(b);
        }
    }

    /** Copies the current event of {@code reader} as it is on disk. */
    public void copy(BinlogReader reader) throws IOException {
        long start = reader.offset();
        long end = reader.endOffset();
        if (pendingSource == reader.channel() && pendingEnd == start) {
            pendingEnd = end;
            return;
        }
        flushPending();
        pendingSource = reader.channel();
        pendingStart = start;
        pendingEnd = end;
    }

    /** Writes any range still pending; call before the source file is closed. */
    public void flushPending() throws IOException {
        if (pendingSource == null) {
            return;
        }
        long at = pendingStart;
        while (at < pendingEnd) {
            long n = pendingSource.transferTo(at, pendingEnd - at, channel);
            if (n <= 0) {
                throw new IOException("cannot copy bytes " + at + ".." + pendingEnd + " of a binlog: the file shrank");
            }
            at += n;
        }
        bytes += pendingEnd - pendingStart;
        pendingSource = null;
    }

    /** Cuts the file back to {@code length} bytes (a boundary recorded by {@link #bytes()}). */
    public void truncate(long length) throws IOException {
        flushPending();
        channel.truncate(length);
        channel.position(length);
        bytes = length;
    }

    /** Bytes written so far, magic included. */
    public long bytes() {
        return bytes;
    }

    /** Flushes, syncs and renames the file into place. */
    public void commit() throws IOException {
        flushPending();
        channel.force(true);
        channel.close();
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(partial);
        }
    }
}
