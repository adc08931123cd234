package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Phase 3 (MHA's check_set_latest_slaves): with every IO thread stopped, read how much of the dead
 * master's binlog each replica received. The latest replicas received the most, the oldest the
 * least — compared by the dead master's coordinates, which every replica of it shares. The first
 * latest replica then applies its relay log; where it stops is the boundary: the last complete
 * transaction any survivor has, where relay-log recovery ends and the dead master's saved binlog
 * begins (a transaction cut off mid-way by the crash is in the saved binlog whole).
 */
public final class FindLatestReplicas implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.FIND_LATEST_REPLICAS;
    }

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

        FailoverState located = state.withPositions(positions, latest, oldest, null);
        String sourceName = located.recoverySource().name();
        BinlogCoordinates boundary;
        try (ServerSession source = context.open(config, config.requireServer(sourceName))) {
            ApplyRelayLog.await(source, context.waitTimeout(), context.clock());
            boundary = source.replicaStatus().map(ReplicaStatus::executed)
                    .orElseThrow(() -> new FailoverException(source.server().label() + " is no longer a replica"));
        } catch (SQLException e) {
            throw new FailoverException(sourceName + ": " + e.getMessage(), e);
        }
        // Its relay log is applied now: judge its delay (SelectNewMaster) by where it really is.
        positions = positions.stream()
                .map(p -> p.name().equals(sourceName) ? p.withExecuted(boundary.file(), boundary.position()) : p)
                .toList();
        context.progress().info(name().stateName(), "latest: " + String.join(", ", latest) + " at " + max + "; oldest: "
                + String.join(", ", oldest) + " at " + min + "; " + sourceName + " applied its relay log: boundary (last complete"
                + " transaction) " + boundary + "; "
                + positions.stream().map(p -> p.name() + " received " + received(p) + " executed " + p.executedFile() + ":" + p.executedPos())
                        .collect(Collectors.joining(", ")));
        return state.withPositions(positions, latest, oldest, boundary.toString());
    }

    private static FailoverState.ReplicaPosition position(ServerState s) {
        ReplicaStatus r = s.replica().orElseThrow();
        var facts = s.facts().orElseThrow();
        return new FailoverState.ReplicaPosition(s.name(), r.received().file(), r.received().position(),
                r.executed().file(), r.executed().position(),
                r.receivedGtids().map(Object::toString).orElse(""), facts.executedGtids().toString(),
                s.config().candidateMaster(), s.config().noMaster(), facts.logBin(), facts.relayLogIndex().orElse(""),
                facts.logReplicaUpdates(),
                r.sqlThreadRunning() || r.lastSqlErrno() == 0 ? "" : "error " + r.lastSqlErrno() + ": " + r.lastSqlError(),
                r.sqlDelaySeconds());
    }

    static BinlogCoordinates received(FailoverState.ReplicaPosition p) {
        return new BinlogCoordinates(p.receivedFile(), p.receivedPos());
    }
}
