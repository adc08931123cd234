package io.mhaserverless.core.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which server is the master (MHA's validate_current_master). The master is the one server that
 * replicates from nobody; in a master-master pair, the writable one of the two; when every live
 * server is a replica of the same dead server, that dead server. Anything else is ambiguous and
 * nothing may act on it.
 *
 * @param problem why no master could be named (empty when {@code server} is present)
 */
public record CurrentMaster(Optional<ServerState> server, Optional<String> problem) {

    public static CurrentMaster of(ServerState master) {
        return new CurrentMaster(Optional.of(master), Optional.empty());
    }

    public static CurrentMaster none(String problem) {
        return new CurrentMaster(Optional.empty(), Optional.of(problem));
    }

    static CurrentMaster identify(List<ServerState> servers, java.util.function.Function<ServerState, Optional<ServerState>> sourceOf) {
        List<ServerState> alive = servers.stream().filter(ServerState::alive).toList();
        List<ServerState> roots = alive.stream().filter(s -> !s.isReplica()).toList();
        if (roots.size() == 1) {
            return of(roots.get(0));
        }
        if (roots.size() > 1) {
            List<String> writable = roots.stream().filter(s -> s.facts().map(f -> f.writable()).orElse(false))
                    .map(ServerState::label).toList();
            return none("more than one server replicates from nobody: "
                    + String.join(", ", roots.stream().map(ServerState::label).toList())
                    + (writable.size() > 1 ? " (writable: " + String.join(", ", writable) + ")" : ""));
        }
        if (alive.isEmpty()) {
            return none("no server is reachable");
        }
        // Every live server is a replica: a master-master pair, or replicas of a dead master.
        List<ServerState> pair = new ArrayList<>();
        for (ServerState s : alive) {
            Optional<ServerState> source = sourceOf.apply(s);
            if (source.isPresent() && source.get().alive()
                    && sourceOf.apply(source.get()).map(back -> back == s).orElse(false)) {
                pair.add(s);
            }
        }
        if (!pair.isEmpty()) {
            List<ServerState> writable = pair.stream().filter(s -> s.facts().map(f -> f.writable()).orElse(false)).toList();
            if (writable.size() == 1) {
                return of(writable.get(0));
            }
            String names = String.join(", ", pair.stream().map(ServerState::label).toList());
            return none(writable.isEmpty()
                    ? "master-master pair " + names + " is read-only on both sides: no writable master"
                    : "master-master pair " + names + " is writable on both sides: two writable servers");
        }
        // Follow every replica up its chain of sources: if all chains end at the same dead server, that is the master.
        List<Optional<ServerState>> chainEnds = alive.stream().map(s -> root(s, sourceOf)).distinct().toList();
        if (chainEnds.size() == 1 && chainEnds.get(0).isPresent() && !chainEnds.get(0).get().alive()) {
            return of(chainEnds.get(0).get());
        }
        return none("every reachable server is a replica, and they do not share one master");
    }

    private static Optional<ServerState> root(ServerState s, java.util.function.Function<ServerState, Optional<ServerState>> sourceOf) {
        java.util.Set<ServerState> seen = new java.util.HashSet<>();
        ServerState at = s;
        while (seen.add(at)) {
            Optional<ServerState> up = sourceOf.apply(at);
            if (up.isEmpty()) {
                return at == s ? Optional.empty() : Optional.of(at);
            }
            if (!up.get().alive()) {
                return up;
            }
            at = up.get();
        }
        return Optional.empty(); // a loop of live replicas
    }
}
