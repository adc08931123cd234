package io.mhaserverless.node.binlog;

/** A position in a binlog: file name (no directory) and byte offset, written {@code FILE:POS}. */
public record SourceCoordinate(String file, long position) implements Comparable<SourceCoordinate> {

    public SourceCoordinate {
        if (file == null || file.isBlank() || file.contains("/")) {
            throw new IllegalArgumentException("a binlog file name without directory is required, got '" + file + "'");
        }
        if (position < 0) {
            throw new IllegalArgumentException("a position is ≥ 0, got " + position);
        }
    }

    /** Parses {@code mysql-bin.000002:1234}; the message of the exception names the bad text. */
    public static SourceCoordinate parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not FILE:POS (for example mysql-bin.000002:1234)");
        }
        long position;
        try {
            position = Long.parseLong(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not FILE:POS: '" + text.substring(colon + 1) + "' is not a number");
        }
        try {
            return new SourceCoordinate(text.substring(0, colon), position);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not FILE:POS: " + e.getMessage());
        }
    }

    /**
     * Binlog order: by the file's sequence number, then position. Files of different prefixes have
     * no order; they compare by name, which callers must not read as "before".
     */
    @Override
    public int compareTo(SourceCoordinate o) {
        int byFile = BinlogFileName.compare(file, o.file);
        return byFile != 0 ? byFile : Long.compare(position, o.position);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
