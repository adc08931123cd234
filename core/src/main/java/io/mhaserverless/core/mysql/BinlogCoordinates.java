package io.mhaserverless.core.mysql;

import java.util.Comparator;

/**
 * A position in a binary log, {@code mysql-bin.000042:1234}. Ordered by the file's number, not its
 * name as text: MHA compared names as strings, which breaks when the sequence grows a digit.
 */
public record BinlogCoordinates(String file, long position) implements Comparable<BinlogCoordinates> {

    private static final Comparator<BinlogCoordinates> ORDER = Comparator
            .comparing((BinlogCoordinates c) -> prefix(c.file))
            .thenComparingLong(c -> sequence(c.file))
            .thenComparingLong(BinlogCoordinates::position);

    @Override
    public int compareTo(BinlogCoordinates o) {
        return ORDER.compare(this, o);
    }

    /** {@code mysql-bin} of {@code mysql-bin.000042}. */
    public static String prefix(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Parses {@code file:position}. */
    public static BinlogCoordinates parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not binlog coordinates (file:position): '" + text + "'");
        }
        return new BinlogCoordinates(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
