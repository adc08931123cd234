package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.PingType;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import io.mhaserverless.core.topology.Addresses;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * MHA's ping loop (HealthCheck::wait_until_unreachable): ping the master every pingInterval; after
 * pingFailures failures in a row, ask the replicas whether they still reach it (a second
 * viewpoint) and call it dead only if none does. A master that answers with an error (too many
 * connections, access denied) is alive: never fail over a master that is only busy.
 */
public final class MasterProbe {

    /**
     * How a death was established: when, after how many pings, what the replicas said, and the
     * master's binlog position at its last successful ping (file:pos; null if never read), which
     * bounds what may be lost if its binlog cannot be saved.
     */
    public record Detection(long detectedAtMillis, int failedPings, String confirmation, String lastSeenBinlog) {
    }

    private final ClusterConfig config;
    private final Connector connector;
    private final Connector replicaConnector;
    private final Clock clock;

    public MasterProbe(ClusterConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        // A ping may take no longer than the interval, or the loop would fall behind (MHA kills the child).
        this.connector = Connector.forCluster(config).withTimeouts(config.pingInterval(), config.pingInterval());
        // The replicas are the second opinion: asked with the cluster's ordinary timeouts, not the ping's.
        this.replicaConnector = Connector.forCluster(config);
    }

    /** Pings until the master is confirmed dead, or gives up after {@code maxWait} (then empty: alive). */
    public Optional<Detection> awaitDeath(ServerConfig master, List<ServerConfig> replicas, Duration maxWait) {
        long deadline = clock.millis() + maxWait.toMillis();
        int failures = 0;
        String lastSeenBinlog = null;
        ServerSession kept = null;
        try {
            while (clock.millis() < deadline) {
                long started = clock.millis();
                PingResult result;
                if (config.pingType() == PingType.SELECT && kept != null) {
                    result = ping(kept);
                    if (result != PingResult.ALIVE) {
                        kept.close();
                        kept = null;
                    }
                } else {
                    try {
                        ServerSession s = connector.open(master);
                        result = ping(s);
                        if (config.pingType() == PingType.SELECT && result == PingResult.ALIVE) {
                            kept = s;
                        } else {
                            s.close();
                        }
                    } catch (ServerRefusedException e) {
                        result = PingResult.ALIVE; // it answered: alive, only unwilling
                    } catch (ServerUnreachableException e) {
                        result = PingResult.FAILED;
                    }
                }
                if (result == PingResult.ALIVE && kept != null) {
                    lastSeenBinlog = binlogPosition(kept).orElse(lastSeenBinlog);
                }
                failures = result == PingResult.ALIVE ? 0 : failures + 1;
                if (failures >= config.pingFailures()) {
                    Optional<String> stillSeen = replicaStillConnected(master, replicas);
                    if (stillSeen.isEmpty() && anyReplicaAnswers(replicas)) {
                        return Optional.of(new Detection(clock.millis(), failures,
                                "no replica is connected to " + master.label(), lastSeenBinlog));
                    }
                    failures = 0; // MHA: a secondary check that sees the master (or cannot tell) resets the count
                }
                sleepUntil(started + config.pingInterval().toMillis());
            }
            return Optional.empty();
        } finally {
            if (kept != null) {
                kept.close();
            }
        }
    }

    private enum PingResult { ALIVE, FAILED }

    private PingResult ping(ServerSession s) {
        try {
            if (config.pingType() == PingType.INSERT) {
                s.execute("CREATE DATABASE IF NOT EXISTS infra");
                s.execute("CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL PRIMARY KEY, val int(10) unsigned NOT NULL DEFAULT '0')");
                s.execute("INSERT INTO infra.chk_masterha VALUES (1, UNIX_TIMESTAMP()) ON DUPLICATE KEY UPDATE val = UNIX_TIMESTAMP()");
            } else {
                s.queryRow("SELECT 1");
            }
            return PingResult.ALIVE;
        } catch (SQLException e) {
            // an error the server itself sent (errno > 0, not a lost connection) means it is alive
            boolean answered = e.getErrorCode() > 0 && (e.getSQLState() == null || !e.getSQLState().startsWith("08"));
            return answered ? PingResult.ALIVE : PingResult.FAILED;
        }
    }

    private static Optional<String> binlogPosition(ServerSession s) {
        try {
            return s.binlogStatus().map(b -> b.current().toString());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** The second viewpoint: a replica whose IO thread still runs against the master sees it alive. */
    private Optional<String> replicaStillConnected(ServerConfig master, List<ServerConfig> replicas) {
        for (ServerConfig r : replicas) {
            try (ServerSession s = replicaConnector.open(r)) {
                Optional<ReplicaStatus> status = s.replicaStatus();
                if (status.isPresent() && status.get().ioThreadRunning()
                        && Addresses.same(status.get().sourceHost(), status.get().sourcePort(), master.host(), master.port())) {
                    return Optional.of(r.label());
                }
            } catch (ServerUnreachableException | ServerRefusedException | SQLException e) {
                // a replica we cannot ask gives no evidence either way
            }
        }
        return Optional.empty();
    }

    /** Without one replica to ask, nobody confirms the death: our own view alone must not fail a master over. */
    private boolean anyReplicaAnswers(List<ServerConfig> replicas) {
        for (ServerConfig r : replicas) {
            try (ServerSession s = replicaConnector.open(r)) {
                return true;
            } catch (ServerUnreachableException | ServerRefusedException e) {
                // try the next
            }
        }
        return false;
    }

    private void sleepUntil(long millis) {
        long wait = millis - clock.millis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
