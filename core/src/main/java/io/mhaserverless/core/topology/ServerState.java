package io.mhaserverless.core.topology;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogStatus;
import io.mhaserverless.core.mysql.Flavor;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerFacts;
import java.util.Optional;

/**
 * What discovery saw of one configured server: either alive with its facts, or dead with the reason.
 *
 * @param replica empty when the server replicates from nobody
 * @param binlog  empty when the server is dead or binary logging is off
 */
public record ServerState(
        ServerConfig config,
        Optional<String> deadReason,
        Optional<Flavor> flavor,
        Optional<ServerFacts> facts,
        Optional<ReplicaStatus> replica,
        Optional<BinlogStatus> binlog) {

    public static ServerState dead(ServerConfig config, String reason) {
        return new ServerState(config, Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ServerState alive(ServerConfig config, Flavor flavor, ServerFacts facts,
                                    Optional<ReplicaStatus> replica, Optional<BinlogStatus> binlog) {
        return new ServerState(config, Optional.empty(), Optional.of(flavor), Optional.of(facts), replica, binlog);
    }

    public boolean alive() {
        return deadReason.isEmpty();
    }

    public boolean isReplica() {
        return replica.isPresent();
    }

    public String name() {
        return config.name();
    }

    public String label() {
        return config.label();
    }

    @Override
    public String toString() {
        return label();
    }
}
