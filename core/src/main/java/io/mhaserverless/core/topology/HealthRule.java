package io.mhaserverless.core.topology;

/**
 * MHA's start-up checks (masterha_check_repl), one per rule, each with the id that reports print
 * so that an operator can grep for it and a test can assert on it.
 */
public enum HealthRule {
    ALIVE("alive", "every configured server answers"),
    SINGLE_MASTER("single-master", "exactly one server is the master"),
    REPLICATES_FROM_MASTER("replicates-from-master", "every other server replicates from the master"),
    REPLICATION_RUNNING("replication-running", "IO and SQL threads run on every replica"),
    REPLICATION_LAG("replication-lag", "no replica lags more than secondsBehindMaster"),
    LOG_BIN("log-bin", "log_bin is on for every server that may become master"),
    BINLOG_DIR("binlog-dir", "binlogDir names the directory the server writes its binlog to"),
    REPLICATION_FILTERS("replication-filters", "every replica filters the same, every binlog logs the same"),
    READ_ONLY("read-only", "replicas are read_only"),
    GTID_MODE("gtid-mode", "every server uses GTIDs the same way"),
    ERRANT_GTID("errant-gtid", "no replica has transactions the master lacks"),
    RELAY_LOG_PURGE("relay-log-purge", "replicas keep their relay logs for recovery"),
    PROMOTABLE_REPLICA("promotable-replica", "at least one replica can become the master");

    private final String id;
    private final String description;

    HealthRule(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
