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
 *
 * <p>File/position: every replica behind the latest is later brought up with a latest replica's
 * relay-log diff, so a latest replica that holds the relay logs from the oldest position on is
 * chosen as the source (MHA's find_slave_with_all_relay_logs): a replica with relay_log_purge=ON
 * may have deleted them. Replicas whose position no latest replica holds any more are named; only
 * the dead master's binlog can bring them up.
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
        List<ServerState> replicas = topology.liveReplicasOf(master).stream()
                .filter(r -> !state.isLeftOut(r.name())).toList();
        if (replicas.isEmpty()) {
            throw new FailoverException("no live replica of " + master.label() + " is left");
        }
        List<FailoverState.ReplicaPosition> positions = replicas.stream().map(FindLatestReplicas::position).toList();
        BinlogCoordinates max = positions.stream().map(FindLatestReplicas::received).max(Comparator.naturalOrder()).orElseThrow();
        BinlogCoordinates min = positions.stream().map(FindLatestReplicas::received).min(Comparator.naturalOrder()).orElseThrow();
        List<String> latest = positions.stream().filter(p -> received(p).equals(max)).map(FailoverState.ReplicaPosition::name).toList();
        List<String> oldest = positions.stream().filter(p -> received(p).equals(min)).map(FailoverState.ReplicaPosition::name).toList();

        FailoverState located = state.withPositions(positions, latest, oldest, null);
        if (!located.gtid()) {
            located = withRelaySource(located, context);
        }
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
        FailoverState next = located.withPositions(positions, latest, oldest, boundary.toString());
        for (String lacking : next.lackingRelayLogs()) {
            next = next.withWarning("no latest replica holds the relay logs " + config.requireServer(lacking).label() + " needs (from "
                    + needed(next.replica(lacking)) + "): only the dead master's binlog can bring it up");
        }
        return next;
    }

    /**
     * MHA's find_slave_with_all_relay_logs: the first latest replica (in {@link FailoverState#recoverySources}
     * order) whose relay logs hold the position of every replica behind it; failing that, the one that holds
     * the most of them, and the replicas none holds are named. Relay logs are purged oldest first, so a
     * replica that holds a position holds every later one.
     */
    private FailoverState withRelaySource(FailoverState state, FailoverContext context) {
        List<FailoverState.ReplicaPosition> behind = state.replicas().stream().filter(r -> !state.latest().contains(r.name()))
                .sorted(Comparator.comparing(FindLatestReplicas::needed)).toList();
        List<FailoverState.ReplicaPosition> sources = state.recoverySources();
        if (behind.isEmpty() || sources.isEmpty()) {
            return state.withRelaySource(null, List.of());
        }
        ClusterConfig config = context.config();
        String best = null;
        int bestFrom = behind.size();
        for (FailoverState.ReplicaPosition source : sources) {
            int from = 0;
            while (from < bestFrom && !holds(context, config, source, needed(behind.get(from)))) {
                from++;
            }
            if (from < bestFrom) {
                best = source.name();
                bestFrom = from;
            }
            if (bestFrom == 0) {
                break;
            }
        }
        List<String> lacking = behind.subList(0, bestFrom).stream().map(FailoverState.ReplicaPosition::name).toList();
        context.progress().info(name().stateName(), (best == null ? "no latest replica" : best) + " holds the relay logs "
                + (lacking.isEmpty() ? "every replica behind it needs" : "of " + (best == null ? "any replica behind it" : "all but "
                + String.join(", ", lacking))));
        return state.withRelaySource(best, lacking);
    }

    /** An agent that cannot answer for a host counts as "does not hold": the search is a preference, not a gate. */
    private boolean holds(FailoverContext context, ClusterConfig config, FailoverState.ReplicaPosition source, BinlogCoordinates at) {
        try {
            return context.nodeAgent().relayLogsHold(config.requireServer(source.name()), source.relayLogIndex(), at);
        } catch (io.mhaserverless.core.port.NodeAgent.Unreachable | io.mhaserverless.core.port.NodeAgent.Failed e) {
            context.progress().info(name().stateName(), "cannot tell whether " + source.name() + " holds the relay logs from " + at
                    + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Where a replica behind the latest needs a diff from: what it received (it applies its own relay
     * log first), or, delayed, what it executed (its own relay log is not waited for).
     */
    static BinlogCoordinates needed(FailoverState.ReplicaPosition r) {
        return r.delaySeconds() > 0 ? new BinlogCoordinates(r.executedFile(), r.executedPos()) : received(r);
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
