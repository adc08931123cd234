package io.mhaserverless.core.mysql;

import java.util.regex.Pattern;

/**
 * The transactions a server has, in its family's notation: MySQL's {@code uuid:1-100} sets or
 * MariaDB's {@code domain-server-seq} lists. Its {@link Flavor} parses it; where no server says which
 * family it is (the node agent's arguments), {@link #parse(String)} tells them apart by their notation.
 * An empty set is empty in both notations: it holds nothing of either.
 */
public sealed interface GtidSet permits MySqlGtidSet, MariaDbGtidSet {

    Pattern MARIADB_GTID = Pattern.compile("\\d+-\\d+-\\d+");

    /** Either notation, told apart by its first GTID; empty or blank text is the empty set. */
    static GtidSet parse(String text) {
        String t = text == null ? "" : text.replaceAll("\\s", "");
        if (t.isEmpty()) {
            return MariaDbGtidSet.empty();
        }
        return MARIADB_GTID.matcher(t.split(",")[0]).matches() ? MariaDbGtidSet.parse(t) : MySqlGtidSet.parse(t);
    }

    boolean isEmpty();

    /** True when every transaction of {@code other} is in this set. */
    default boolean contains(GtidSet other) {
        return other.subtract(this).isEmpty();
    }

    /** True when the transaction {@code gtid} is in this set (MariaDB: as {@link #contains(GtidSet)} judges a list). */
    boolean contains(Gtid gtid);

    /**
     * True when this set holds {@code gtid} from the GTID's own origin: what a retried apply may leave
     * out. MySQL: the same as {@link #contains(Gtid)} (the origin is the UUID and tag). MariaDB: the set
     * is read as a binlog state ({@code @@gtid_binlog_state}, the last GTID per domain AND server), and
     * only the same domain and server at an equal or higher sequence counts, so a transaction the target
     * wrote itself never hides one of another server that it lacks.
     */
    boolean containsFromOrigin(Gtid gtid);

    /** The transactions of this set that {@code other} lacks: a replica's errant GTIDs are {@code replica.subtract(master)}. */
    GtidSet subtract(GtidSet other);

    /**
     * The transactions of this set that {@code other} does not hold from their own origin (as
     * {@link #containsFromOrigin} judges): MySQL, {@link #subtract}; MariaDB, per domain AND server,
     * never covered by another server's higher sequence number.
     */
    GtidSet subtractFromOrigin(GtidSet other);

    /** Only the transactions first written by {@code origin}: a MySQL server_uuid, a MariaDB server_id. */
    GtidSet originatedBy(String origin);

    /** The canonical text, as the server would accept it back. */
    @Override
    String toString();
}
