package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.StateStore.FailoverRecord;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first step of the old master's way back, changing nothing: the server answers, exactly one
 * other server is the master, and the server holds no transaction that master lacks — by GTID, its
 * executed set against the master's, strictly per origin; by file and position, its binlog after
 * the position the recorded failover (or switchover) took its transactions over up to. If it holds
 * more, the rejoin is refused and the extra transactions are named: replicating on top of them would
 * leave it silently different from every other server.
 */
public final class CheckRejoin implements RejoinPhase {

    private final List<FailoverRecord> history;

    /** @param history the cluster's records, newest first: the file/position check reads its position there */
    public CheckRejoin(List<FailoverRecord> history) {
        this.history = List.copyOf(history);
    }

    @Override
    public RejoinStep name() {
        return RejoinStep.CHECK_REJOIN;
    }

    @Override
    public RejoinState apply(RejoinState state, FailoverContext context) {
        ClusterConfig config = context.config();
        if (!config.cluster().equals(state.cluster())) {
            throw new FailoverException("the config is for cluster '" + config.cluster() + "', not '" + state.cluster() + "'");
        }
        config.server(state.server()).orElseThrow(() -> new FailoverException("server " + state.server() + ": no such server"
                + " (servers: " + config.servers().stream().map(ServerConfig::name).collect(Collectors.joining(", ")) + ")"));
        Topology topology = context.discover(config);
        ServerState back = topology.server(state.server()).orElseThrow();
        if (!back.alive()) {
            throw new FailoverException(back.label() + " does not answer (" + back.deadReason().orElse("?") + "): start it,"
                    + " with read_only=ON in its my.cnf, then rejoin it");
        }
        ServerState master = currentMaster(topology, back);
        Optional<ReplicaStatus> replication = back.replica();
        boolean following = replication.isPresent() && topology.sourceOf(back).map(s -> s == master).orElse(false);
        if (replication.isPresent() && !following) {
            throw new FailoverException(back.label() + " replicates from " + replication.get().sourceAddress() + ", not from the"
                    + " master " + master.label() + ": refusing to move it (repoint it by hand, or RESET REPLICA ALL first)");
        }
        boolean gtid = gtidMode(topology, master, back);
        RejoinState next = state;
        if (gtid) {
            GtidSet extra = Divergence.extraGtids(back.facts().orElseThrow(), master.facts().orElseThrow());
            if (!extra.isEmpty()) {
                throw diverged(back, master, "GTIDs " + Divergence.describe(extra, master.facts().orElseThrow()));
            }
            next = next.withChecked(master.name(), true, following, null, null, null);
        } else if (following) {
            // its binlog holds what it replicated since, so only its first rejoin could tell what it had of its own
            next = next.withChecked(master.name(), false, true, null, null, null)
                    .withWarning(back.label() + " replicates from " + master.label() + " already: its binlog was compared when it"
                            + " started to");
        } else {
            RejoinPoint point = RejoinPoint.of(history, back.name()).orElseThrow(() -> new FailoverException("no failover or"
                    + " switchover of " + back.label() + " is recorded for cluster " + state.cluster() + ", so there is no position"
                    + " to compare its binlog with: rejoin it by GTID, or rebuild it from a backup of " + master.label()));
            if (!point.newMaster().equals(master.name())) {
                throw new FailoverException("the " + point.kind() + " " + point.execution() + " made " + point.newMaster()
                        + " the master, but " + master.label() + " is now: its position in " + point.newMaster() + "'s binlog"
                        + " does not apply; rebuild " + back.label() + " from a backup of " + master.label());
            }
            Optional<String> extra;
            try (ServerSession s = context.open(config, back.config())) {
                extra = Divergence.extraBinlog(s, point.savedUpTo());
            } catch (SQLException e) {
                throw new FailoverException(back.label() + ": cannot read its binlog after " + point.savedUpTo() + ": "
                        + e.getMessage(), e);
            }
            if (extra.isPresent()) {
                throw diverged(back, master, extra.get());
            }
            next = next.withChecked(master.name(), false, false, point.savedUpTo().toString(), point.startAt().toString(),
                    point.execution());
        }
        if (back.facts().orElseThrow().writable()) {
            next = next.withWarning(back.label() + " came back writable: set read_only=ON in its my.cnf, so that a returning"
                    + " master never takes writes on its own");
        }
        context.progress().info(name().stateName(), back.label() + " holds nothing " + master.label() + " lacks ("
                + (gtid ? "GTID sets compared" : "binlog after " + next.savedUpTo() + " compared") + ")"
                + (following ? "; it replicates from it already" : "; it can replicate from it"));
        return next;
    }

    static FailoverException diverged(ServerState back, ServerState master, String what) {
        return new FailoverException(back.label() + " holds transactions the master " + master.label() + " lacks: " + what
                + ". Rejoining would leave it silently different from every other server; nothing was changed. Save or"
                + " re-apply them by hand, then rebuild " + back.label() + " from a backup of " + master.label());
    }

    /** The one live server besides {@code back} that replicates from nobody. */
    private static ServerState currentMaster(Topology topology, ServerState back) {
        List<ServerState> roots = topology.servers().stream().filter(s -> s != back && s.alive() && !s.isReplica()).toList();
        if (roots.size() == 1) {
            return roots.get(0);
        }
        if (roots.isEmpty()) {
            if (!back.isReplica() && !topology.liveReplicasOf(back).isEmpty()) {
                throw new FailoverException(back.label() + " is the master: there is nothing to rejoin");
            }
            throw new FailoverException("no live server besides " + back.label() + " replicates from nobody: cannot tell which"
                    + " server is the master " + back.label() + " should follow");
        }
        throw new FailoverException("more than one live server replicates from nobody ("
                + roots.stream().map(ServerState::label).collect(Collectors.joining(", ")) + "): cannot tell which is the master");
    }

    /** By GTID when the master's replicas replicate by GTID (or it has none and GTIDs are on); mixed is refused. */
    private static boolean gtidMode(Topology topology, ServerState master, ServerState back) {
        List<ServerState> replicas = topology.liveReplicasOf(master).stream().filter(s -> s != back).toList();
        long byGtid = replicas.stream().filter(r -> r.replica().orElseThrow().gtidPositioning()).count();
        if (byGtid > 0 && byGtid < replicas.size()) {
            throw new FailoverException("the replicas of " + master.label() + " mix GTID and file/position replication: refusing");
        }
        if (!replicas.isEmpty()) {
            return byGtid > 0;
        }
        return master.facts().orElseThrow().gtidMode().map(m -> m.equalsIgnoreCase("ON")).orElse(true);
    }
}
