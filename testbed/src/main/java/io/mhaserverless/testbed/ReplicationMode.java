package io.mhaserverless.testbed;

/** How the replicas of a sandbox topology follow their master. */
public enum ReplicationMode {
    /** {@code MASTER_USE_GTID=slave_pos}: MariaDB GTID auto-positioning. */
    GTID,
    /** {@code MASTER_USE_GTID=no}: classic binlog file and position. */
    FILE
}
