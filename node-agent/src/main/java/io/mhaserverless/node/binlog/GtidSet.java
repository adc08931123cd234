package io.mhaserverless.node.binlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A set of executed GTIDs in either flavor's notation: MariaDB's GTID position
 * ({@code 0-1-1003,1-2-7}: per domain, everything up to that sequence number) or MySQL's GTID set
 * ({@code uuid:1-5:7,uuid:tag:1-3}). Also what a binlog file's head says was executed before it
 * (GTID_LIST / PREVIOUS_GTIDS).
 */
public sealed interface GtidSet permits GtidSet.MariadbPosition, GtidSet.MysqlSet {

    boolean contains(Gtid gtid);

    /** Whether every GTID of {@code other} (the same flavor) is in this set. */
    boolean containsAll(GtidSet other);

    boolean isEmpty();

    Pattern MARIADB_GTID = Pattern.compile("\\d+-\\d+-\\d+");

    /** Parses either notation; an empty text is the empty MariaDB position. */
    static GtidSet parse(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", "");
        if (t.isEmpty()) {
            return new MariadbPosition(Map.of());
        }
        String first = t.split(",")[0];
        return MARIADB_GTID.matcher(first).matches() ? MariadbPosition.parse(t) : MysqlSet.parse(t);
    }

    /** MariaDB: the last sequence number per domain (server ids do not matter for "already applied"). */
    record MariadbPosition(Map<Long, Gtid.Mariadb> domains) implements GtidSet {

        public MariadbPosition {
            domains = java.util.Collections.unmodifiableMap(new TreeMap<>(domains));
        }

        static MariadbPosition parse(String text) {
            Map<Long, Gtid.Mariadb> domains = new TreeMap<>();
            for (String part : text.split(",")) {
                if (!MARIADB_GTID.matcher(part).matches()) {
                    throw new IllegalArgumentException("'" + part + "' is not a MariaDB GTID (domain-server-sequence, e.g. 0-1-1003)");
                }
                String[] n = part.split("-");
                Gtid.Mariadb g = new Gtid.Mariadb(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]));
                domains.merge(g.domain(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
            }
            return new MariadbPosition(domains);
        }

        /** A GTID_LIST body: count (low 28 bits), then (domain u32, server u32, seq u64) each. */
        static MariadbPosition ofGtidList(byte[] body) throws BinlogFormatException {
            if (body.length < 4) {
                throw new BinlogFormatException("GTID_LIST body of " + body.length + " bytes is too short");
            }
            int count = (int) (Bytes.u32(body, 0) & 0x0fffffff);
            if (body.length < 4 + 16L * count) {
                throw new BinlogFormatException("GTID_LIST of " + count + " GTIDs has only " + body.length + " bytes");
            }
            Map<Long, Gtid.Mariadb> domains = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                int at = 4 + 16 * i;
                Gtid.Mariadb g = new Gtid.Mariadb(Bytes.u32(body, at), Bytes.u32(body, at + 4), Bytes.u64(body, at + 8));
                domains.merge(g.domain(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
            }
            return new MariadbPosition(domains);
        }

        @Override
        public boolean contains(Gtid gtid) {
            if (!(gtid instanceof Gtid.Mariadb m)) {
                throw new IllegalArgumentException("a MariaDB GTID position cannot hold the MySQL GTID " + gtid);
            }
            Gtid.Mariadb last = domains.get(m.domain());
            return last != null && last.sequence() >= m.sequence();
        }

        @Override
        public boolean containsAll(GtidSet other) {
            if (!(other instanceof MariadbPosition o)) {
                throw new IllegalArgumentException("cannot compare the MariaDB GTID position " + this + " with the MySQL GTID set " + other);
            }
            return o.domains.values().stream().allMatch(this::contains);
        }

        @Override
        public boolean isEmpty() {
            return domains.isEmpty();
        }

        @Override
        public String toString() {
            return String.join(",", domains.values().stream().map(Gtid.Mariadb::toString).toList());
        }
    }

    /** MySQL: per source UUID (and tag), closed intervals of transaction numbers. */
    record MysqlSet(Map<String, List<long[]>> intervals) implements GtidSet {

        public MysqlSet {
            Map<String, List<long[]>> copy = new LinkedHashMap<>();
            intervals.forEach((k, v) -> copy.put(k, normalize(v)));
            intervals = copy;
        }

        static MysqlSet parse(String text) {
            Map<String, List<long[]>> result = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                String[] items = part.split(":");
                UUID source;
                try {
                    source = UUID.fromString(items[0]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + part + "' is neither a MariaDB GTID (0-1-1003) nor a MySQL GTID set (uuid:1-5)");
                }
                String tag = "";
                if (items.length < 2) {
                    throw new IllegalArgumentException("'" + part + "' has no transaction numbers (uuid:1-5)");
                }
                for (int i = 1; i < items.length; i++) {
                    String item = items[i];
                    if (!item.isEmpty() && !Character.isDigit(item.charAt(0))) {
                        tag = item.toLowerCase();
                        continue;
                    }
                    String[] range = item.split("-");
                    try {
                        long start = Long.parseLong(range[0]);
                        long end = range.length > 1 ? Long.parseLong(range[1]) : start;
                        if (range.length > 2 || start < 1 || end < start) {
                            throw new NumberFormatException();
                        }
                        String key = tag.isEmpty() ? source.toString() : source + ":" + tag;
                        result.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {start, end});
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + item + "' in '" + part + "' is not an interval (1-5 or 7)");
                    }
                }
            }
            return new MysqlSet(result);
        }

        /**
         * A PREVIOUS_GTIDS body: an 8-byte count (the top byte 1 marks the tagged format of 8.3+,
         * whose count sits in bits 8–55), then per source: UUID, [tag], interval count, [start, end).
         */
        static MysqlSet ofPreviousGtids(byte[] body) throws BinlogFormatException {
            if (body.length < 8) {
                throw new BinlogFormatException("PREVIOUS_GTIDS body of " + body.length + " bytes is too short");
            }
            long head = Bytes.u64(body, 0);
            boolean tagged = (head >>> 56) == 1;
            long sources = tagged ? (head >>> 8) & 0xffffffffffffL : head & 0x00ffffffffffffffL;
            Map<String, List<long[]>> result = new LinkedHashMap<>();
            int[] at = {8};
            for (long s = 0; s < sources; s++) {
                if (at[0] + 16 > body.length) {
                    throw new BinlogFormatException("PREVIOUS_GTIDS ends inside source " + s);
                }
                UUID source = Gtid.uuid(body, at[0]);
                at[0] += 16;
                String tag = tagged ? TaggedGtidDecoder.tagAt(body, at) : "";
                if (at[0] + 8 > body.length) {
                    throw new BinlogFormatException("PREVIOUS_GTIDS ends inside source " + source);
                }
                long count = Bytes.u64(body, at[0]);
                at[0] += 8;
                if (count < 0 || at[0] + 16 * count > body.length) {
                    throw new BinlogFormatException("PREVIOUS_GTIDS has " + count + " intervals for " + source + " but ends early");
                }
                String key = tag.isEmpty() ? source.toString() : source + ":" + tag;
                List<long[]> list = result.computeIfAbsent(key, k -> new ArrayList<>());
                for (long i = 0; i < count; i++) {
                    list.add(new long[] {Bytes.u64(body, at[0]), Bytes.u64(body, at[0] + 8) - 1});
                    at[0] += 16;
                }
            }
            return new MysqlSet(result);
        }

        @Override
        public boolean contains(Gtid gtid) {
            if (!(gtid instanceof Gtid.Mysql m)) {
                throw new IllegalArgumentException("a MySQL GTID set cannot hold the MariaDB GTID " + gtid);
            }
            List<long[]> list = intervals.get(m.key());
            if (list == null) {
                return false;
            }
            for (long[] iv : list) {
                if (m.number() >= iv[0] && m.number() <= iv[1]) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean containsAll(GtidSet other) {
            if (!(other instanceof MysqlSet o)) {
                throw new IllegalArgumentException("cannot compare the MySQL GTID set " + this + " with the MariaDB GTID position " + other);
            }
            for (Map.Entry<String, List<long[]>> e : o.intervals.entrySet()) {
                for (long[] iv : e.getValue()) {
                    List<long[]> mine = intervals.get(e.getKey());
                    if (mine == null || mine.stream().noneMatch(m -> m[0] <= iv[0] && iv[1] <= m[1])) {
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public boolean isEmpty() {
            return intervals.values().stream().allMatch(List::isEmpty);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            intervals.forEach((key, list) -> {
                StringBuilder s = new StringBuilder(key);
                for (long[] iv : list) {
                    s.append(':').append(iv[0]);
                    if (iv[1] != iv[0]) {
                        s.append('-').append(iv[1]);
                    }
                }
                parts.add(s.toString());
            });
            return String.join(",", parts);
        }

        private static List<long[]> normalize(List<long[]> list) {
            List<long[]> sorted = new ArrayList<>(list.stream().map(long[]::clone).toList());
            sorted.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] iv : sorted) {
                if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] + 1 >= iv[0]) {
                    long[] last = merged.get(merged.size() - 1);
                    last[1] = Math.max(last[1], iv[1]);
                } else {
                    merged.add(iv);
                }
            }
            return List.copyOf(merged);
        }
    }
}
