package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.failover.TransientFailure;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The write block, in one step so that no state transition or function call lengthens it (MHA's
 * reject_update and switch_master): {@link BlockWrites} on the old master, {@link CatchUp} on the
 * new one while the {@link WriterAddressMove} runs beside it, then {@link PromoteNewMaster}. Any failure before the new master takes writes rolls
 * everything back ({@link Rollback}) and ends the switchover as {@link SwitchoverRolledBack}. The
 * time from read_only ON on the old master to read_only OFF on the new one is measured and reported.
 * Both sessions are opened before the block starts, so connecting is not part of it.
 */
public final class SwitchMaster implements SwitchoverPhase {

    /** Slack for the new master's catch-up beyond runningUpdatesLimit, which bounded its lag at the check. */
    static final Duration CATCH_UP_SLACK = Duration.ofSeconds(5);

    @Override
    public SwitchoverStep name() {
        return SwitchoverStep.SWITCH_MASTER;
    }

    @Override
    public boolean retrySafe() {
        return false;
    }

    @Override
    public SwitchoverState apply(SwitchoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig oldConfig = config.requireServer(state.origMaster());
        ServerConfig newConfig = config.requireServer(state.newMaster());
        ServerSession oldMaster = null;
        ServerSession newMaster = null;
        GtidSet ownBefore;
        try {
            oldMaster = context.open(config, oldConfig);
            newMaster = context.open(config, newConfig);
            if (alreadySwitched(oldMaster, newMaster)) {
                try {
                    return again(state, context, newMaster);
                } finally {
                    close(oldMaster, newMaster);
                }
            }
            ownBefore = PromoteNewMaster.ownWrites(newMaster, newMaster.facts());
        } catch (SQLException | RuntimeException e) {
            close(oldMaster, newMaster);
            // nothing is changed yet: a lost connection here is worth another try
            RuntimeException failure = e instanceof RuntimeException r ? r : new FailoverException(e.getMessage(), e);
            throw TransientFailure.causedBy(failure).map(RuntimeException.class::cast).orElse(failure);
        }
        try {
            return block(state, context, oldMaster, newMaster, ownBefore);
        } finally {
            close(oldMaster, newMaster);
        }
    }

    private SwitchoverState block(SwitchoverState state, FailoverContext context, ServerSession oldMaster, ServerSession newMaster,
                                  GtidSet ownBefore) {
        Rollback rollback = new Rollback();
        long limit = Math.max(1, state.runningUpdatesLimit());
        Duration bound = min(context.waitTimeout(), Duration.ofSeconds(limit).plus(CATCH_UP_SLACK));
        long startedAt = context.clock().millis();
        long t0 = System.nanoTime();
        long catchUpNanos;
        BlockWrites.FinalPosition blocked;
        PromoteNewMaster.Promoted promoted;
        WriterAddressMove move = null;
        try {
            SwitchPoint.FaultHook faults = context.faults();
            blocked = BlockWrites.apply(oldMaster, state.origMasterWasWritable(), limit, rollback, context.clock(), faults);
            faults.at(SwitchPoint.OPEN_TRANSACTIONS_ENDED);
            move = WriterAddressMove.start(context.writerIp(), oldMaster.server(), newMaster.server(), rollback);
            long c0 = System.nanoTime();
            CatchUp.apply(newMaster, blocked, state.gtid(), bound);
            catchUpNanos = System.nanoTime() - c0;
            faults.at(SwitchPoint.CAUGHT_UP);
            promoted = PromoteNewMaster.prepare(oldMaster, newMaster, blocked, ownBefore, rollback);
            faults.at(SwitchPoint.REPLICATION_STOPPED);
            move.await(context.waitTimeout());
            faults.at(SwitchPoint.WRITER_ADDRESS_MOVED);
            PromoteNewMaster.takeWrites(newMaster);
        } catch (SQLException | RuntimeException e) {
            boolean settled = move == null || move.settle(context.waitTimeout());
            Rollback.Result undone = rollback.run();
            if (!settled) {
                undone = undone.with("the writer address move still running after " + context.waitTimeout().toSeconds()
                        + " s FAILED: it may yet put the address on " + state.newMaster());
            }
            String what = "the switch from " + state.origMaster() + " to " + state.newMaster() + " failed before "
                    + state.newMaster() + " took writes: " + e.getMessage();
            context.progress().info(name().stateName(), what + "; rolling back: " + undone.describe());
            if (undone.complete()) {
                throw new SwitchoverRolledBack(what + "; rolled back, " + state.origMaster() + " serves as before: "
                        + undone.describe(), e);
            }
            throw new FailoverException(what + "; the rollback did not finish: " + undone.describe()
                    + ". Check which server takes writes before anything else.", e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        java.time.Instant readOnlyAt = blocked.readOnlyAt();
        SwitchoverState.WriteBlock block = new SwitchoverState.WriteBlock(startedAt,
                readOnlyAt.getEpochSecond() * 1_000_000 + readOnlyAt.getNano() / 1_000, millis, catchUpNanos / 1_000_000,
                blocked.sessionsKilled());
        context.progress().info(name().stateName(), state.newMaster() + " takes writes; writes were blocked for " + millis + " ms ("
                + "catch-up " + block.catchUpMillis() + " ms, " + blocked.sessionsKilled() + " open transactions ended on "
                + state.origMaster() + ", final position " + blocked.binlog() + ")");
        return state.withSwitch(blocked.binlog().toString(), blocked.gtids().toString(), promoted.binlog().toString(),
                promoted.gtids().toString(), block);
    }

    /**
     * An earlier run got past the point of no return (its answer was lost): the old master is
     * read-only and the new master takes writes and no longer replicates.
     */
    private static boolean alreadySwitched(ServerSession oldMaster, ServerSession newMaster) throws SQLException {
        Optional<ReplicaStatus> replication = newMaster.replicaStatus();
        boolean replicating = replication.map(r -> r.ioThreadRunning() || r.sqlThreadRunning()).orElse(false);
        return !replicating && newMaster.facts().writable() && !oldMaster.facts().writable();
    }

    private SwitchoverState again(SwitchoverState state, FailoverContext context, ServerSession newMaster) throws SQLException {
        if (!state.gtid()) {
            throw new FailoverException(state.newMaster() + " took writes in an earlier run of SwitchMaster whose binlog position"
                    + " was not recorded: repoint the replicas (file and position) by hand at the position it had then");
        }
        String gtids = newMaster.facts().executedGtids().toString();
        context.progress().info(name().stateName(), state.newMaster() + " already takes writes (an earlier run switched)");
        return state.withSwitch(state.finalBinlog(), state.finalGtids(), null, gtids, state.writeBlock())
                .withWarning("SwitchMaster ran again after an earlier run had switched; the write block was not measured");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void close(ServerSession... sessions) {
        for (ServerSession s : sessions) {
            if (s != null) {
                s.close();
            }
        }
    }
}
