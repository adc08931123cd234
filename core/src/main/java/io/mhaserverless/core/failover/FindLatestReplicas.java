package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Phase 3 (MHA's check_set_latest_slaves): with every IO thread stopped, read how much of the dead
 * master's binlog each replica received. The latest replicas received the most, the oldest the
 * least. Compared by the dead master's coordinates, which every replica of it shares; the GTID
 * sets are kept for the catch-up that follows.
 */
public final class FindLatestReplicas implements Phase {

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        Topology topology = context.discover(config);
        ServerState master = topology.server(state.deadMaster()).orElseThrow();
        List<ServerState> replicas = topology.liveReplicasOf(master);
        if (replicas.isEmpty()) {
            throw new FailoverException("no live replica of " + master.label() + " is left");
        }
        List<FailoverState.ReplicaPosition> positions = replicas.stream().map(FindLatestReplicas::position).toList();
        BinlogCoordinates max = positions.stream().map(FindLatestReplicas::received).max(Comparator.naturalOrder()).orElseThrow();
        BinlogCoordinates min = positions.stream().map(FindLatestReplicas::received).min(Comparator.naturalOrder()).orElseThrow();
        List<String> latest = positions.stream().filter(p -> received(p).equals(max)).map(FailoverState.ReplicaPosition::name).toList();
        List<String> oldest = positions.stream().filter(p -> received(p).equals(min)).map(FailoverState.ReplicaPosition::name).toList();
        context.progress().info(name(), "latest: " + String.join(", ", latest) + " at " + max + "; oldest: "
                + String.join(", ", oldest) + " at " + min + "; "
                + positions.stream().map(p -> p.name() + " received " + received(p) + " executed " + p.executedFile() + ":" + p.executedPos())
                        .collect(Collectors.joining(", ")));
        return state.withPositions(positions, latest, oldest);
    }

    private static FailoverState.ReplicaPosition position(ServerState s) {
        ReplicaStatus r = s.replica().orElseThrow();
        var facts = s.facts().orElseThrow();
        return new FailoverState.ReplicaPosition(s.name(), r.received().file(), r.received().position(),
                r.executed().file(), r.executed().position(),
                r.receivedGtids().map(Object::toString).orElse(""), facts.executedGtids().toString(),
                s.config().candidateMaster(), s.config().noMaster(), facts.logBin());
    }

    static BinlogCoordinates received(FailoverState.ReplicaPosition p) {
        return new BinlogCoordinates(p.receivedFile(), p.receivedPos());
    }
}
