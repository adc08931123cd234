package io.mhaserverless.core.topology;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogStatus;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads every configured server in parallel (MHA's connect_all_and_read_server_status) and names
 * the master. Reads only: discovery never changes anything on a server.
 */
public final class TopologyDiscovery {

    private final Connector connector;

    public TopologyDiscovery(Connector connector) {
        this.connector = connector;
    }

    /** @throws DiscoveryException when a server answers but refuses us; dead servers are part of the result */
    public Topology discover(ClusterConfig config) {
        ExecutorService pool = Executors.newFixedThreadPool(config.servers().size(), r -> {
            Thread t = new Thread(r, "discovery");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<ServerState>> reads = config.servers().stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> read(s), pool))
                    .toList();
            List<ServerState> servers;
            try {
                servers = reads.stream().map(CompletableFuture::join).toList();
            } catch (CompletionException e) {
                if (e.getCause() instanceof DiscoveryException d) {
                    throw d;
                }
                throw e;
            }
            return assemble(config, servers);
        } finally {
            pool.shutdownNow();
        }
    }

    static Topology assemble(ClusterConfig config, List<ServerState> servers) {
        Topology unresolved = new Topology(config, servers, CurrentMaster.none("not identified yet"));
        return new Topology(config, servers, CurrentMaster.identify(servers, unresolved::sourceOf));
    }

    private ServerState read(ServerConfig server) {
        try (ServerSession session = connector.open(server)) {
            ServerFacts facts = session.facts();
            Optional<ReplicaStatus> replica = session.replicaStatus();
            Optional<BinlogStatus> binlog = facts.logBin() ? session.binlogStatus() : Optional.empty();
            return ServerState.alive(server, session.flavor(), facts, replica, binlog);
        } catch (ServerUnreachableException e) {
            return ServerState.dead(server, e.getMessage());
        } catch (ServerRefusedException e) {
            throw new DiscoveryException(e.getMessage(), e);
        } catch (SQLException e) {
            if (e.getErrorCode() != 0 && (e.getSQLState() == null || !e.getSQLState().startsWith("08"))) {
                // an error from the server itself, typically a missing privilege: alive, misconfigured
                throw new DiscoveryException(server.label() + ": " + e.getMessage(), e);
            }
            // Connected, then the server stopped answering mid-read: as good as dead for now.
            return ServerState.dead(server, server.label() + ": stopped answering: " + e.getMessage());
        }
    }
}
