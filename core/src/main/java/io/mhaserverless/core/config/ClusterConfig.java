package io.mhaserverless.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's configuration (ARCHITECTURE.md §4): camelCase, MHA's names and defaults where MHA had
 * them. Immutable; {@link ConfigLoader} is the only way in, and it has validated everything here.
 *
 * @param secondsBehindMaster MHA's --seconds_behind_master: the lag check-repl tolerates
 * @param checkReplDelay      MHA's check_repl_delay: refuse to promote a replica far behind the latest
 * @param checkReplDelayBytes how far is too far: MHA's fixed 100,000,000 bytes of binlog
 * @param multiTierSlave      MHA's multi_tier_slave: a replica of a replica is unmanaged, not an error
 * @param connectTimeout      how long discovery waits for each server before it counts it as dead
 * @param deadMasterGrace     how long a confirmed death must last before a failover starts: a master that
 *                            answers within it (a restart, a short stall) cancels; 0 starts at once (MHA)
 * @param secondaryCheck      MHA's secondary_check_script: before a failover, the node agent on each replica's
 *                            host tries the master over that host's network path; one that reaches it vetoes
 * @param tls                 how the admin connections use TLS (default PREFERRED)
 */
public record ClusterConfig(
        String cluster,
        Credentials credentials,
        Optional<Credentials> replicationCredentials,
        Duration pingInterval,
        PingType pingType,
        int pingFailures,
        Duration connectTimeout,
        long secondsBehindMaster,
        boolean checkReplDelay,
        long checkReplDelayBytes,
        boolean checkReplFilter,
        boolean latestPriority,
        boolean multiTierSlave,
        long lastFailoverMinutes,
        Duration deadMasterGrace,
        boolean secondaryCheck,
        WriterIpConfig writerIp,
        TlsConfig tls,
        List<ServerConfig> servers) {

    public ClusterConfig {
        servers = List.copyOf(servers);
    }

    /** The same cluster with other accounts: the AWS runtime's, once a credentialsSecret is resolved. */
    public ClusterConfig withCredentials(Credentials admin, Optional<Credentials> replication) {
        return new ClusterConfig(cluster, admin, replication, pingInterval, pingType, pingFailures, connectTimeout,
                secondsBehindMaster, checkReplDelay, checkReplDelayBytes, checkReplFilter, latestPriority, multiTierSlave,
                lastFailoverMinutes, deadMasterGrace, secondaryCheck, writerIp, tls, servers);
    }

    public Optional<ServerConfig> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * A server this failover already knows by name. The config is re-read by every step, so an
     * operator may have removed it since: the error then names it rather than "No value present".
     */
    public ServerConfig requireServer(String name) {
        return server(name).orElseThrow(() -> new ConfigException("server '" + name + "' is no longer in the configuration of cluster "
                + cluster + " (edited during the failover?)"));
    }

    /** The configured server listening at host:port, if any (replicas name their source that way). */
    public Optional<ServerConfig> serverAt(String host, int port) {
        return servers.stream().filter(s -> s.host().equals(host) && s.port() == port).findFirst();
    }
}
