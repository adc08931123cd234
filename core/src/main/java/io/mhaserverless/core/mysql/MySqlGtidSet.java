package io.mhaserverless.core.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set: per source UUID (and, from 8.3, per tag) a list of closed intervals of
 * transaction numbers. Parses what {@code @@gtid_executed} and SHOW REPLICA STATUS print, with the
 * ",\n" separators servers put between UUIDs.
 */
public final class MySqlGtidSet implements GtidSet {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,31}");
    private static final Pattern INTERVAL = Pattern.compile("\\d+(-\\d+)?");

    /** key: {@code uuid} or {@code uuid:tag}, lower case; value: sorted, disjoint, non-adjacent intervals. */
    private final TreeMap<String, List<long[]>> intervals;

    private MySqlGtidSet(TreeMap<String, List<long[]>> intervals) {
        this.intervals = intervals;
    }

    public static MySqlGtidSet empty() {
        return new MySqlGtidSet(new TreeMap<>());
    }

    /** Builds a set interval by interval: what a binlog's PREVIOUS_GTIDS event or a run of GTID events holds. */
    public static final class Builder {
        private final TreeMap<String, List<long[]>> intervals = new TreeMap<>();

        /** Adds {@code start..end} (inclusive) of {@code source} under {@code tag} (null or empty: untagged). */
        public Builder add(UUID source, String tag, long start, long end) {
            String key = new Gtid.MySql(source, tag, start).key();
            MySqlGtidSet.add(intervals.computeIfAbsent(key, k -> new ArrayList<>()), start, end);
            return this;
        }

        /** Adds one GTID; an anonymous one (number 0) names no transaction and is left out. */
        public Builder add(Gtid.MySql gtid) {
            return gtid.anonymous() ? this : add(gtid.source(), gtid.tag(), gtid.number(), gtid.number());
        }

        public MySqlGtidSet build() {
            TreeMap<String, List<long[]>> copy = new TreeMap<>();
            intervals.forEach((k, v) -> copy.put(k, v.stream().map(long[]::clone).toList()));
            return new MySqlGtidSet(copy);
        }
    }

    public static MySqlGtidSet parse(String text) {
        TreeMap<String, List<long[]>> result = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return new MySqlGtidSet(result);
        }
        for (String part : text.replaceAll("\\s", "").split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] tokens = part.split(":");
            if (!UUID.matcher(tokens[0]).matches()) {
                throw new IllegalArgumentException("not a GTID set: '" + text + "' (bad UUID '" + tokens[0] + "')");
            }
            String uuid = tokens[0].toLowerCase(Locale.ROOT);
            String key = uuid;
            for (int i = 1; i < tokens.length; i++) {
                String token = tokens[i];
                if (INTERVAL.matcher(token).matches()) {
                    String[] ends = token.split("-");
                    long start = Long.parseLong(ends[0]);
                    long end = ends.length > 1 ? Long.parseLong(ends[1]) : start;
                    if (start < 1 || end < start) {
                        throw new IllegalArgumentException("not a GTID set: '" + text + "' (bad interval " + token + ")");
                    }
                    add(result.computeIfAbsent(key, k -> new ArrayList<>()), start, end);
                } else if (TAG.matcher(token).matches()) {
                    key = uuid + ":" + token.toLowerCase(Locale.ROOT);
                } else {
                    throw new IllegalArgumentException("not a GTID set: '" + text + "' (bad token '" + token + "')");
                }
            }
        }
        result.values().removeIf(List::isEmpty);
        return new MySqlGtidSet(result);
    }

    private static void add(List<long[]> list, long start, long end) {
        list.add(new long[] {start, end});
        list.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] iv : list) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && iv[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], iv[1]);
            } else {
                merged.add(new long[] {iv[0], iv[1]});
            }
        }
        list.clear();
        list.addAll(merged);
    }

    @Override
    public boolean isEmpty() {
        return intervals.isEmpty();
    }

    @Override
    public boolean contains(Gtid gtid) {
        if (!(gtid instanceof Gtid.MySql m)) {
            if (isEmpty()) {
                return false; // an empty set lacks a MariaDB GTID like any other
            }
            throw new IllegalArgumentException("a MySQL GTID set cannot hold the MariaDB GTID " + gtid);
        }
        for (long[] iv : intervals.getOrDefault(m.key(), List.of())) {
            if (m.number() >= iv[0] && m.number() <= iv[1]) {
                return true;
            }
        }
        return false;
    }

    /** A MySQL GTID's origin is its UUID and tag, so this is {@link #contains(Gtid)}. */
    @Override
    public boolean containsFromOrigin(Gtid gtid) {
        return contains(gtid);
    }

    /** A MySQL GTID's origin is its UUID and tag, so this is {@link #subtract}. */
    @Override
    public MySqlGtidSet subtractFromOrigin(GtidSet other) {
        return subtract(other);
    }

    @Override
    public MySqlGtidSet subtract(GtidSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this; // nothing to take, or nothing taken: in either notation
        }
        if (!(other instanceof MySqlGtidSet o)) {
            throw new IllegalArgumentException("cannot compare a MySQL GTID set with " + other.getClass().getSimpleName());
        }
        TreeMap<String, List<long[]>> result = new TreeMap<>();
        for (Map.Entry<String, List<long[]>> e : intervals.entrySet()) {
            List<long[]> remaining = new ArrayList<>();
            for (long[] iv : e.getValue()) {
                remaining.add(new long[] {iv[0], iv[1]});
            }
            for (long[] cut : o.intervals.getOrDefault(e.getKey(), List.of())) {
                List<long[]> next = new ArrayList<>();
                for (long[] iv : remaining) {
                    if (cut[1] < iv[0] || cut[0] > iv[1]) {
                        next.add(iv);
                        continue;
                    }
                    if (iv[0] < cut[0]) {
                        next.add(new long[] {iv[0], cut[0] - 1});
                    }
                    if (iv[1] > cut[1]) {
                        next.add(new long[] {cut[1] + 1, iv[1]});
                    }
                }
                remaining = next;
            }
            if (!remaining.isEmpty()) {
                result.put(e.getKey(), remaining);
            }
        }
        return new MySqlGtidSet(result);
    }

    @Override
    public MySqlGtidSet originatedBy(String origin) {
        String uuid = origin.toLowerCase(Locale.ROOT);
        TreeMap<String, List<long[]>> result = new TreeMap<>();
        intervals.forEach((key, list) -> {
            if (key.equals(uuid) || key.startsWith(uuid + ":")) {
                result.put(key, list);
            }
        });
        return new MySqlGtidSet(result);
    }

    /** Number of transactions in the set. */
    public long count() {
        return intervals.values().stream().flatMap(List::stream).mapToLong(iv -> iv[1] - iv[0] + 1).sum();
    }

    @Override
    public String toString() {
        // Tagged and untagged intervals of one UUID are printed under that UUID, untagged first.
        TreeMap<String, StringBuilder> byUuid = new TreeMap<>();
        for (Map.Entry<String, List<long[]>> e : intervals.entrySet()) {
            String[] key = e.getKey().split(":");
            StringBuilder out = byUuid.computeIfAbsent(key[0], k -> new StringBuilder(k));
            if (key.length > 1) {
                out.append(':').append(key[1]);
            }
            for (long[] iv : e.getValue()) {
                out.append(':').append(iv[0]);
                if (iv[1] != iv[0]) {
                    out.append('-').append(iv[1]);
                }
            }
        }
        return String.join(",", byUuid.values().stream().map(StringBuilder::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
