package io.mhaserverless.core.topology;

import io.mhaserverless.core.config.ClusterConfig;
import java.util.List;
import java.util.Optional;

/**
 * A cluster as discovered at one moment: every configured server's state, and which one is the
 * master, or why none could be named.
 */
public record Topology(ClusterConfig config, List<ServerState> servers, CurrentMaster master) {

    public Topology {
        servers = List.copyOf(servers);
    }

    public Optional<ServerState> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The servers that replicate (or should replicate) from the master: everyone but the master. */
    public List<ServerState> others() {
        return servers.stream().filter(s -> master.server().map(m -> m != s).orElse(true)).toList();
    }

    /** The live servers that replicate directly from {@code source}. */
    public List<ServerState> liveReplicasOf(ServerState source) {
        return servers.stream()
                .filter(s -> s != source && s.alive())
                .filter(s -> sourceOf(s).map(src -> src == source).orElse(false))
                .toList();
    }

    /** The configured server a replica's Master_Host/Master_Port point at, if any. */
    public Optional<ServerState> sourceOf(ServerState replica) {
        return replica.replica().flatMap(r -> servers.stream()
                .filter(s -> Addresses.same(s.config().host(), s.config().port(), r.sourceHost(), r.sourcePort()))
                .findFirst());
    }
}
