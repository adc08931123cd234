package io.mhaserverless.core.mysql;

/**
 * The transactions a server has, in its family's notation: MySQL's {@code uuid:1-100} sets or
 * MariaDB's {@code domain-server-seq} lists. Its {@link Flavor} parses it.
 */
public sealed interface GtidSet permits MySqlGtidSet, MariaDbGtidSet {

    boolean isEmpty();

    /** True when every transaction of {@code other} is in this set. */
    boolean contains(GtidSet other);

    /** The transactions of this set that {@code other} lacks: a replica's errant GTIDs are {@code replica.subtract(master)}. */
    GtidSet subtract(GtidSet other);

    /** Only the transactions first written by {@code origin}: a MySQL server_uuid, a MariaDB server_id. */
    GtidSet originatedBy(String origin);

    /** The canonical text, as the server would accept it back. */
    @Override
    String toString();
}
