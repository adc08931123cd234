package io.mhaserverless.node.binlog;

import io.mhaserverless.core.mysql.Gtid;
import io.mhaserverless.core.mysql.MySqlGtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GTIDs of a run of event groups, in the flavor's notation: MySQL as a GTID set
 * ({@code uuid:5-9}); MariaDB, which has no set notation, as its GTID position after them
 * (the last GTID per domain, {@code 0-1-1506}). Anonymous groups are not listed.
 */
public final class GtidCollector {

    private final Map<Long, Gtid.MariaDb> mariadb = new TreeMap<>();
    private final MySqlGtidSet.Builder mysql = new MySqlGtidSet.Builder();
    private Gtid first;

    void add(Gtid gtid) {
        if (gtid instanceof Gtid.MySql m && m.anonymous()) {
            return;
        }
        if (first == null) {
            first = gtid;
        }
        if (gtid instanceof Gtid.MariaDb m) {
            mariadb.put(m.domain(), m);
        } else if (gtid instanceof Gtid.MySql m) {
            mysql.add(m);
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
        MySqlGtidSet set = mysql.build();
        if (!set.isEmpty()) {
            parts.add(set.toString());
        }
        return String.join(",", parts);
    }
}
