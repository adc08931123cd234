package io.mhaserverless.node.binlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GTIDs of a run of event groups, in the flavor's notation: MySQL as a GTID set
 * ({@code uuid:5-9}); MariaDB, which has no set notation, as its GTID position after them
 * (the last GTID per domain, {@code 0-1-1506}). Anonymous groups are not listed.
 */
public final class GtidCollector {

    private final Map<Long, Gtid.Mariadb> mariadb = new TreeMap<>();
    private final Map<String, List<long[]>> mysql = new LinkedHashMap<>();
    private Gtid first;

    void add(Gtid gtid) {
        if (gtid instanceof Gtid.Mysql m && m.anonymous()) {
            return;
        }
        if (first == null) {
            first = gtid;
        }
        if (gtid instanceof Gtid.Mariadb m) {
            mariadb.put(m.domain(), m);
        } else if (gtid instanceof Gtid.Mysql m) {
            mysql.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(new long[] {m.number(), m.number()});
        }
    }

    /** The first GTID seen, or null. */
    public Gtid first() {
        return first;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        mariadb.values().forEach(g -> parts.add(g.toString()));
        if (!mysql.isEmpty()) {
            parts.add(new GtidSet.MysqlSet(mysql).toString());
        }
        return String.join(",", parts);
    }
}
