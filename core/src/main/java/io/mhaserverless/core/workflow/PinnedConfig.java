package io.mhaserverless.core.workflow;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.config.PingType;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.core.config.WriterIpConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's configuration as CheckConfiguration read it, carried in the execution's document so
 * that every later step decides with the same servers and rules even if an operator edits the
 * config mid-failover (the step then only warns). No account is pinned: the document shows in the
 * Step Functions console and its history, so accounts and secrets are read anew by each step.
 *
 * @param digest SHA-256 of everything else here: equal digests, equal configs
 */
public record PinnedConfig(String digest, String cluster, long pingIntervalMillis, String pingType, int pingFailures,
                           long connectTimeoutMillis, long secondsBehindMaster, boolean checkReplDelay, long checkReplDelayBytes,
                           boolean checkReplFilter, boolean latestPriority, boolean multiTierSlave, long lastFailoverMinutes,
                           long deadMasterGraceMillis, boolean secondaryCheck, String writerIpMode, String writerIpAddress,
                           String tlsMode, String tlsCa, List<Server> servers) {

    /** One server, as configured. */
    public record Server(String name, String host, int port, boolean candidateMaster, boolean noMaster, boolean ignoreFail,
                         String instanceId, String binlogDir) {
    }

    public PinnedConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    public static PinnedConfig of(ClusterConfig c) {
        List<Server> servers = c.servers().stream().map(s -> new Server(s.name(), s.host(), s.port(), s.candidateMaster(),
                s.noMaster(), s.ignoreFail(), s.instanceId().orElse(null), s.binlogDir().orElse(null))).toList();
        PinnedConfig unsigned = new PinnedConfig(null, c.cluster(), c.pingInterval().toMillis(), c.pingType().name(), c.pingFailures(),
                c.connectTimeout().toMillis(), c.secondsBehindMaster(), c.checkReplDelay(), c.checkReplDelayBytes(),
                c.checkReplFilter(), c.latestPriority(), c.multiTierSlave(), c.lastFailoverMinutes(), c.deadMasterGrace().toMillis(),
                c.secondaryCheck(), c.writerIp().mode().name(), c.writerIp().address().orElse(null), c.tls().mode().name(),
                c.tls().ca().orElse(null), servers);
        return unsigned.signed();
    }

    /** The pinned configuration with the accounts of the configuration as read now. */
    public ClusterConfig toConfig(Credentials admin, Optional<Credentials> replication) {
        List<ServerConfig> configured = servers.stream().map(s -> new ServerConfig(s.name(), s.host(), s.port(), s.candidateMaster(),
                s.noMaster(), s.ignoreFail(), Optional.ofNullable(s.instanceId()), Optional.ofNullable(s.binlogDir()))).toList();
        return new ClusterConfig(cluster, admin, replication, Duration.ofMillis(pingIntervalMillis), PingType.valueOf(pingType),
                pingFailures, Duration.ofMillis(connectTimeoutMillis), secondsBehindMaster, checkReplDelay, checkReplDelayBytes,
                checkReplFilter, latestPriority, multiTierSlave, lastFailoverMinutes, Duration.ofMillis(deadMasterGraceMillis), secondaryCheck,
                new WriterIpConfig(WriterIpConfig.Mode.valueOf(writerIpMode), Optional.ofNullable(writerIpAddress)),
                // a document pinned before tls existed carries none: the default then
                tlsMode == null ? TlsConfig.preferred() : new TlsConfig(TlsConfig.Mode.valueOf(tlsMode), Optional.ofNullable(tlsCa)),
                configured);
    }

    private PinnedConfig signed() {
        String canonical = String.join("\u0000", cluster, Long.toString(pingIntervalMillis), pingType, Integer.toString(pingFailures),
                Long.toString(connectTimeoutMillis), Long.toString(secondsBehindMaster), Boolean.toString(checkReplDelay),
                Long.toString(checkReplDelayBytes), Boolean.toString(checkReplFilter), Boolean.toString(latestPriority),
                Boolean.toString(multiTierSlave), Long.toString(lastFailoverMinutes), Long.toString(deadMasterGraceMillis),
                Boolean.toString(secondaryCheck), writerIpMode, String.valueOf(writerIpAddress), String.valueOf(tlsMode),
                String.valueOf(tlsCa), servers.toString());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return new PinnedConfig(HexFormat.of().formatHex(hash), cluster, pingIntervalMillis, pingType, pingFailures,
                    connectTimeoutMillis, secondsBehindMaster, checkReplDelay, checkReplDelayBytes, checkReplFilter, latestPriority,
                    multiTierSlave, lastFailoverMinutes, deadMasterGraceMillis, secondaryCheck, writerIpMode, writerIpAddress, tlsMode,
                    tlsCa, servers);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
