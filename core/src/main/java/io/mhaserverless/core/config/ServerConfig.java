package io.mhaserverless.core.config;

import java.util.Optional;

/**
 * One MySQL/MariaDB server of a cluster, as the operator configured it. Which one is the master is
 * discovered, never configured.
 *
 * @param candidateMaster MHA's candidate_master: preferred as the new master
 * @param noMaster        MHA's no_master: never promoted
 * @param ignoreFail      MHA's ignore_fail: a dead or broken replica does not block checks or failover
 * @param instanceId      AWS only: the EC2 instance (ENI lookup, SSM target, optional stop)
 * @param binlogDir       MHA's master_binlog_dir: where a dead master's binlog is saved from (check-repl compares it with {@code @@log_bin_basename})
 */
public record ServerConfig(
        String name,
        String host,
        int port,
        boolean candidateMaster,
        boolean noMaster,
        boolean ignoreFail,
        Optional<String> instanceId,
        Optional<String> binlogDir) {

    public static final int DEFAULT_PORT = 3306;

    /** {@code db1(10.0.1.11:3306)}, the way MHA names a server in every message. */
    public String label() {
        return name + "(" + host + ":" + port + ")";
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return label();
    }
}
