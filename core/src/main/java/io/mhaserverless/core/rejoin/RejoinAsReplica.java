package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.failover.Repoint;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.BinlogStatus;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.Addresses;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The returning server becomes a replica of the current master: read_only ON first (from then on
 * no client can add a transaction of its own), the check of CheckRejoin once more (a client may have
 * written between the two steps), then replication — by GTID from after everything it has, or by
 * file and position from where the master stood when it took over — and a bounded wait until it has
 * caught up. Run twice, it finds the server following the master already and only waits again.
 */
public final class RejoinAsReplica implements RejoinPhase {

    @Override
    public RejoinStep name() {
        return RejoinStep.REJOIN_AS_REPLICA;
    }

    @Override
    public RejoinState apply(RejoinState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig back = config.requireServer(state.server());
        ServerConfig master = config.requireServer(state.master());
        try (ServerSession s = context.open(config, back); ServerSession m = context.open(config, master)) {
            boolean wasReadOnly = s.facts().readOnly();
            readOnly(s, true);
            Optional<ReplicaStatus> status = s.replicaStatus();
            boolean following = status.isPresent() && Addresses.same(status.get().sourceHost(), status.get().sourcePort(),
                    master.host(), master.port());
            if (!following) {
                Optional<String> extra = extra(state, s, m);
                if (extra.isPresent()) {
                    if (!wasReadOnly) {
                        readOnly(s, false); // the refusal changes nothing: it takes writes as it did
                    }
                    throw new FailoverException(back.label() + " holds transactions the master " + master.label() + " lacks: "
                            + extra.get() + " (written after CheckRejoin looked). Nothing was changed; rebuild it from a backup of "
                            + master.label());
                }
                if (state.gtid()) {
                    for (var sql : s.flavor().formerMasterGtidPosition(s.facts())) {
                        s.execute(sql);
                    }
                    Repoint.toSource(s, master, config);
                } else {
                    Repoint.toSource(s, master, config, BinlogCoordinates.parse(state.startAt()));
                }
            }
            String result = caughtUp(state, context, s, m, back, master);
            context.progress().info(name().stateName(), back.label() + ": " + result);
            return state.withResult(result);
        } catch (SQLException e) {
            throw new FailoverException(back.label() + ": " + e.getMessage(), e);
        }
    }

    /** CheckRejoin's comparison, repeated now that the server is read-only. */
    private static Optional<String> extra(RejoinState state, ServerSession s, ServerSession m) throws SQLException {
        if (state.gtid()) {
            ServerFacts masterFacts = m.facts();
            GtidSet extra = Divergence.extraGtids(s.facts(), masterFacts);
            return extra.isEmpty() ? Optional.empty() : Optional.of("GTIDs " + Divergence.describe(extra, masterFacts));
        }
        return Divergence.extraBinlog(s, BinlogCoordinates.parse(state.savedUpTo()));
    }

    /** Waits (bounded) until it has what the master has now; a replication error is the step's failure. */
    /**
     * Its replication status once the IO thread has left "connecting": a server that already had every
     * transaction is caught up at once, before its IO thread has even logged in, so being caught up
     * proves nothing about the connection. Bounded by {@code limit} (at most 10 s), polled every 100 ms.
     */
    private static ReplicaStatus settled(ServerSession s, ServerConfig back, java.time.Duration limit) throws SQLException {
        long until = System.nanoTime() + Math.min(limit.toNanos(), java.time.Duration.ofSeconds(10).toNanos());
        while (true) {
            ReplicaStatus status = s.replicaStatus().orElseThrow(() -> new FailoverException(back.label()
                    + ": it does not replicate after CHANGE MASTER"));
            if (status.ioThread() != ReplicaStatus.IoThreadState.CONNECTING || !status.lastIoError().isBlank()
                    || System.nanoTime() - until >= 0) {
                return status;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
    }

    private static String caughtUp(RejoinState state, FailoverContext context, ServerSession s, ServerSession m, ServerConfig back,
                                   ServerConfig master) throws SQLException {
        boolean done;
        if (state.gtid()) {
            done = s.waitForGtids(m.facts().executedGtids(), context.waitTimeout());
        } else {
            BinlogCoordinates now = m.binlogStatus().map(BinlogStatus::current).orElseThrow(() ->
                    new FailoverException(master.label() + ": SHOW MASTER STATUS is empty (log_bin OFF?)"));
            done = s.waitForPosition(now, context.waitTimeout());
        }
        ReplicaStatus status = settled(s, back, context.waitTimeout());
        if (!status.ioThreadRunning() || !status.sqlThreadRunning()) {
            throw new FailoverException(back.label() + " does not replicate from " + master.label() + ": IO thread "
                    + status.ioThread().name().toLowerCase(java.util.Locale.ROOT) + (status.lastIoError().isBlank() ? "" : " ("
                    + status.lastIoError() + ")") + ", SQL thread " + (status.sqlThreadRunning() ? "running" : "stopped")
                    + (status.lastSqlError().isBlank() ? "" : " (" + status.lastSqlError() + ")") + "; it stays read-only");
        }
        return "replicating from " + master.label() + (done ? ", caught up" : ", not caught up within "
                + context.waitTimeout().toSeconds() + " s (it goes on)") + "; read_only ON";
    }

    private static void readOnly(ServerSession s, boolean on) throws SQLException {
        for (String sql : s.flavor().setReadOnly(on)) {
            s.execute(sql);
        }
    }
}
