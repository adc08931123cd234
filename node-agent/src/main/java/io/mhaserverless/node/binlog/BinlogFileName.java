package io.mhaserverless.node.binlog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code mysql-bin.000012}: a prefix and a sequence number, ordered by the number (not by the string). */
public record BinlogFileName(String prefix, long sequence, String name) {

    private static final Pattern NAME = Pattern.compile("(.+)\\.(\\d+)");

    public static Optional<BinlogFileName> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || m.group(2).length() > 18) {
            return Optional.empty();
        }
        return Optional.of(new BinlogFileName(m.group(1), Long.parseLong(m.group(2)), name));
    }

    /** Same prefix: by sequence number; otherwise by name. */
    static int compare(String a, String b) {
        Optional<BinlogFileName> x = parse(a);
        Optional<BinlogFileName> y = parse(b);
        if (x.isPresent() && y.isPresent() && x.get().prefix.equals(y.get().prefix)) {
            return Long.compare(x.get().sequence, y.get().sequence);
        }
        return a.compareTo(b);
    }

    /** Whether both names share a prefix, so that {@link #compare} means "comes before / after". */
    static boolean comparable(String a, String b) {
        Optional<BinlogFileName> x = parse(a);
        Optional<BinlogFileName> y = parse(b);
        return a.equals(b) || x.isPresent() && y.isPresent() && x.get().prefix.equals(y.get().prefix);
    }
}
