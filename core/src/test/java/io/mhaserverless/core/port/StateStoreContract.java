package io.mhaserverless.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.port.StateStore.FailoverRecord;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.testbed.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} promises, whatever keeps the state: the lock and the last-failover
 * guard decide whether a failover runs, so the AWS and the local runtime must agree on them exactly.
 * An adapter's test extends this with a factory; what only one adapter has (its storage layout,
 * its failures) stays in that test.
 *
 * <p>Expiry is tested a second either side of the TTL, never at it: the DynamoDB store counts whole
 * seconds and the file store instants, and the port promises neither.
 */
public abstract class StateStoreContract {

    private static final Duration TTL = Duration.ofMinutes(45);
    /** Cluster names unique in the JVM: an adapter may share one backing store (one table) between tests. */
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    protected MutableClock clock;
    protected StateStore store;
    protected String cluster;
    protected Instant start;

    /**
     * Another store on the same backing state each call (as another process or Lambda would open it),
     * deciding time by {@code clock}.
     */
    protected abstract StateStore openStore(Clock clock);

    /** Where the test clock starts; an adapter whose backing store acts on real time may need it elsewhere. */
    protected Instant startOfTime() {
        return Instant.parse("2024-05-01T12:00:00Z");
    }

    /** What acknowledging a cluster without a failover throws (an adapter may promise a narrower type). */
    protected Class<? extends RuntimeException> nothingToAcknowledge() {
        return RuntimeException.class;
    }

    @BeforeEach
    void openFreshCluster() {
        start = startOfTime();
        clock = new MutableClock(start);
        store = openStore(clock);
        cluster = "app" + CLUSTERS.incrementAndGet();
    }

    protected FailoverRecord record(String executionId, String outcome, Instant startedAt) {
        return new FailoverRecord(cluster, executionId, startedAt, startedAt.plusSeconds(30), outcome, "db1", "db2",
                "{\"outcome\":\"" + outcome + "\"}");
    }

    // --- the lock ---

    @Test
    void lockIsTakenByOneOwnerAtATime() {
        assertThat(store.lock(cluster, "A", TTL)).isTrue();
        assertThat(store.lock(cluster, "B", TTL)).isFalse();
    }

    @Test
    void ownersRacingForTheLockExactlyOneWins() throws Exception {
        assertThat(winnersOfARace(owner -> store.lock(cluster, owner, TTL))).isEqualTo(1);
    }

    /** Six owners try at the same moment; how many were told they won. */
    private static int winnersOfARace(java.util.function.Predicate<String> take) throws Exception {
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String owner = "racer-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return take.test(owner);
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get() ? 1 : 0;
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLockOwnerIsKnownUntilItIsReleasedOrExpires() {
        assertThat(store.lockOwner(cluster)).isEmpty();
        store.lock(cluster, "A", TTL);
        assertThat(store.lockOwner(cluster)).contains("A");
        store.unlock(cluster, "A");
        assertThat(store.lockOwner(cluster)).isEmpty();
        store.lock(cluster, "B", TTL);
        clock.advance(TTL.plusSeconds(2));
        assertThat(store.lockOwner(cluster)).as("an expired lock has no owner").isEmpty();
    }

    @Test
    void lockIsPerCluster() {
        store.lock(cluster, "A", TTL);

        assertThat(store.lock(cluster + "x", "B", TTL)).isTrue();
    }

    @Test
    void ownerTakesItsOwnLockAgain() {
        // a retried step re-takes the lock of its own execution
        assertThat(store.lock(cluster, "A", TTL)).isTrue();
        assertThat(store.lock(cluster, "A", TTL)).isTrue();
        assertThat(store.lock(cluster, "B", TTL)).isFalse();
    }

    @Test
    void expiredLockCanBeTakenByAnother() {
        store.lock(cluster, "A", TTL);

        clock.advance(TTL.minusSeconds(1));
        assertThat(store.lock(cluster, "B", TTL)).as("a second before expiry").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.lock(cluster, "B", TTL)).as("a second after expiry").isTrue();
        assertThat(store.lock(cluster, "A", TTL)).as("the first owner lost it").isFalse();
    }

    @Test
    void retakingALockExtendsIt() {
        store.lock(cluster, "A", TTL);
        clock.advance(Duration.ofMinutes(40));
        store.lock(cluster, "A", TTL);

        clock.advance(Duration.ofMinutes(10));

        assertThat(store.lock(cluster, "B", TTL)).isFalse();
    }

    @Test
    void unlockReleasesOnlyTheOwnersLockAndMayRunTwice() {
        store.lock(cluster, "A", TTL);

        store.unlock(cluster, "B");
        assertThat(store.lock(cluster, "B", TTL)).isFalse();

        store.unlock(cluster, "A");
        store.unlock(cluster, "A");
        assertThat(store.lock(cluster, "B", TTL)).isTrue();
    }

    @Test
    void unlockWithoutALockIsANoOp() {
        store.unlock(cluster, "A");
        store.unlock(cluster, "A");

        assertThat(store.lastFailover(cluster)).isEmpty();
        assertThat(store.lock(cluster, "B", TTL)).isTrue();
    }

    // --- the last failover ---

    @Test
    void noFailoverYetIsNoLastFailover() {
        assertThat(store.lastFailover(cluster)).isEmpty();
        assertThat(store.history(cluster, 10)).isEmpty();
    }

    @Test
    void failedFailoverLeavesAnUnacknowledgedError() {
        FailoverRecord failed = record("exec-1", "failed", start);

        store.record(failed);

        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-1", failed.endedAt(), LastFailover.Status.ERROR, false));
    }

    @Test
    void succeededAndPartialFailoversCountAsCompleted() {
        store.record(record("exec-1", "partial", start));
        assertThat(store.lastFailover(cluster)).get().extracting(LastFailover::status).isEqualTo(LastFailover.Status.COMPLETED);

        FailoverRecord succeeded = record("exec-2", "succeeded", start.plusSeconds(60));
        store.record(succeeded);
        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-2", succeeded.endedAt(), LastFailover.Status.COMPLETED, false));
    }

    @Test
    void lastFailoverWithoutAnEndIsDatedByItsStart() {
        store.record(new FailoverRecord(cluster, "exec-1", start, null, "failed", "db1", null, null));

        assertThat(store.lastFailover(cluster).orElseThrow().at()).isEqualTo(start);
    }

    @Test
    void recordingTheSameExecutionTwiceKeepsOneHistoryRow() {
        FailoverRecord r = record("exec-1", "succeeded", start);

        store.record(r);
        store.record(r);

        assertThat(store.history(cluster, 10)).containsExactly(r);
        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-1", r.endedAt(), LastFailover.Status.COMPLETED, false));
    }

    @Test
    void aSwitchoverGoesIntoTheHistoryOnlyOnceAndLeavesTheLastFailoverAlone() {
        FailoverRecord failover = record("exec-1", "failed", start);
        store.record(failover);
        FailoverRecord switchover = record("exec-2", "succeeded", start.plusSeconds(60));

        store.recordSwitchover(switchover);
        store.recordSwitchover(switchover);

        assertThat(store.history(cluster, 10)).containsExactly(switchover, failover);
        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-1", failover.endedAt(), LastFailover.Status.ERROR, false));
    }

    @Test
    void aSwitchoverAloneIsNoLastFailover() {
        store.recordSwitchover(record("exec-1", "failed", start));

        assertThat(store.history(cluster, 10)).extracting(FailoverRecord::executionId).containsExactly("exec-1");
        assertThat(store.lastFailover(cluster)).isEmpty();
    }

    @Test
    void recordingTheSameExecutionAgainDoesNotUndoAnAcknowledgement() {
        // a retried Report step must not block the cluster again once an operator acknowledged
        store.record(record("exec-1", "failed", start));
        store.acknowledge(cluster, "alice");

        store.record(record("exec-1", "failed", start));

        assertThat(store.history(cluster, 10)).extracting(FailoverRecord::executionId).containsExactly("exec-1");
        assertThat(store.lastFailover(cluster)).get().extracting(LastFailover::acknowledged).isEqualTo(true);
    }

    @Test
    void acknowledgeMarksTheLastFailoverAndKeepsTheRest() {
        FailoverRecord failed = record("exec-1", "failed", start);
        store.record(failed);

        store.acknowledge(cluster, "alice");

        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-1", failed.endedAt(), LastFailover.Status.ERROR, true));
    }

    @Test
    void acknowledgeWithoutAFailoverFailsNamingTheCluster() {
        assertThatThrownBy(() -> store.acknowledge(cluster, "alice"))
                .isInstanceOf(nothingToAcknowledge())
                .hasMessageContaining("cluster " + cluster + " has no failover to acknowledge");
    }

    @Test
    void newFailoverAfterAnAcknowledgementIsUnacknowledgedAgain() {
        store.record(record("exec-1", "failed", start));
        store.acknowledge(cluster, "alice");

        FailoverRecord next = record("exec-2", "partial", start.plusSeconds(3600));
        store.record(next);

        assertThat(store.lastFailover(cluster))
                .contains(new LastFailover(cluster, "exec-2", next.endedAt(), LastFailover.Status.COMPLETED, false));
    }

    // --- history ---

    @Test
    void historyIsNewestFirstAndLimited() {
        // Recorded out of order: the order of starting counts, not of recording. Half a second
        // apart too, which an adapter ordering instants as text would get wrong (…00Z vs …00.500Z).
        FailoverRecord first = record("exec-1", "succeeded", start);
        FailoverRecord second = record("exec-2", "failed", start.plusMillis(500));
        FailoverRecord third = record("exec-3", "partial", start.plusSeconds(14400));
        store.record(second);
        store.record(third);
        store.record(first);

        assertThat(store.history(cluster, 10)).containsExactly(third, second, first);
        assertThat(store.history(cluster, 2)).containsExactly(third, second);
        assertThat(store.history(cluster, 0)).isEmpty();
    }

    @Test
    void historyKeepsEveryFieldOfTheRecordIncludingAbsentOnes() {
        FailoverRecord full = new FailoverRecord(cluster, "exec-1", start.plusNanos(123_456_000), start.plusMillis(1234),
                "succeeded", "db1", "db2", "{\"outcome\":\"succeeded\"}");
        FailoverRecord sparse = new FailoverRecord(cluster, "exec-2", start.plusSeconds(3600), null, "failed", "db2", null, null);

        store.record(full);
        store.record(sparse);

        assertThat(store.history(cluster, 10)).containsExactly(sparse, full);
    }

    @Test
    void clustersKeepSeparateHistoriesAndLastFailovers() {
        String other = cluster + "x";
        store.record(record("exec-1", "failed", start));
        store.record(new FailoverRecord(other, "exec-2", start.plusSeconds(60), start.plusSeconds(90), "succeeded",
                "db1", "db2", "{}"));

        store.acknowledge(other, "alice");

        assertThat(store.history(cluster, 10)).extracting(FailoverRecord::executionId).containsExactly("exec-1");
        assertThat(store.history(other, 10)).extracting(FailoverRecord::executionId).containsExactly("exec-2");
        assertThat(store.lastFailover(cluster).orElseThrow().acknowledged()).isFalse();
        assertThat(store.lastFailover(cluster).orElseThrow().status()).isEqualTo(LastFailover.Status.ERROR);
    }

    // --- the progress of an unfinished failover ---

    private StateStore.Progress progress(String executionId, String completedState) {
        return new StateStore.Progress(cluster, executionId, completedState,
                "{\"state\":{\"cluster\":\"" + cluster + "\",\"phases\":[\"" + completedState + "\"]}}", clock.instant());
    }

    @Test
    void noProgressUntilAFailoverSavesOne() {
        assertThat(store.progress(cluster)).isEmpty();
    }

    @Test
    void theLastSavedProgressIsTheOneRead() {
        store.saveProgress(progress("exec-1", "CheckConfiguration"));
        clock.advance(Duration.ofSeconds(2));
        StateStore.Progress later = progress("exec-1", "FenceDeadMaster");
        store.saveProgress(later);

        assertThat(openStore(clock).progress(cluster)).contains(later);
    }

    @Test
    void progressIsClearedOnlyByItsOwnExecutionAndClearingTwiceIsANoOp() {
        StateStore.Progress saved = progress("exec-1", "MoveWriterIp");
        store.saveProgress(saved);

        store.clearProgress(cluster, "exec-2");
        assertThat(store.progress(cluster)).contains(saved);

        store.clearProgress(cluster, "exec-1");
        store.clearProgress(cluster, "exec-1");
        assertThat(store.progress(cluster)).isEmpty();
    }

    @Test
    void progressIsPerClusterAndLeavesTheOtherRecordsAlone() {
        String other = cluster + "-other";
        store.record(record("exec-0", "succeeded", start));
        assertThat(store.lock(cluster, "exec-1", TTL)).isTrue();
        store.saveProgress(progress("exec-1", "SelectNewMaster"));

        assertThat(store.progress(other)).isEmpty();
        assertThat(store.lock(cluster, "B", TTL)).isFalse();
        assertThat(store.lastFailover(cluster).orElseThrow().executionId()).isEqualTo("exec-0");
        assertThat(store.history(cluster, 10)).hasSize(1);
    }

    // --- the probe lease: one prober per cluster ---

    private static final Duration LEASE = Duration.ofSeconds(10);

    private StateStore.ProbeSighting seen(String master, String state) {
        return new StateStore.ProbeSighting(master, state, start.minusSeconds(60), clock.instant(), 3, "SELECT 1 answered");
    }

    @Test
    void probeLeaseIsHeldByOneProberAtATime() {
        assertThat(store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "alive"))).isTrue();
        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db1", "suspect"))).isFalse();

        StateStore.ProbeStatus status = store.probeStatus(cluster).orElseThrow();
        assertThat(status.owner()).isEqualTo("probe-A");
        assertThat(status.seen().state()).as("the loser saved nothing").isEqualTo("alive");
        assertThat(status.seen().aliveSince()).isEqualTo(start.minusSeconds(60));
        assertThat(status.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
    }

    @Test
    void probersRacingForTheLeaseExactlyOneWins() throws Exception {
        assertThat(winnersOfARace(owner -> store.holdProbeLease(cluster, owner, LEASE, seen("db1", "alive")))).isEqualTo(1);
    }

    @Test
    void renewingTheLeaseExtendsItAndSavesTheNewSighting() {
        store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "alive"));
        clock.advance(Duration.ofSeconds(8));
        assertThat(store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "suspect"))).isTrue();
        clock.advance(Duration.ofSeconds(8));

        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db1", "alive"))).as("16 s after the first take").isFalse();
        assertThat(store.probeStatus(cluster).orElseThrow().seen().state()).isEqualTo("suspect");
    }

    @Test
    void aCrashedProbersLeaseIsTakenOverOnceExpired() {
        store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "suspect"));

        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db1", "alive"))).as("a second before expiry").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db1", "dead"))).as("a second after").isTrue();
        assertThat(store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "alive"))).as("the first prober lost it").isFalse();
        assertThat(store.probeStatus(cluster).orElseThrow().owner()).isEqualTo("probe-B");
    }

    @Test
    void releasingTheLeaseHandsItOverAtOnceAndKeepsTheSighting() {
        store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "alive"));
        store.releaseProbeLease(cluster, "probe-B"); // not the holder: nothing happens
        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db1", "alive"))).isFalse();

        store.releaseProbeLease(cluster, "probe-A");
        store.releaseProbeLease(cluster, "probe-A"); // twice is safe

        assertThat(store.probeStatus(cluster).orElseThrow().seen().master()).as("status survives the hand-over").isEqualTo("db1");
        assertThat(store.holdProbeLease(cluster, "probe-B", LEASE, seen("db2", "alive"))).isTrue();
        assertThat(store.probeStatus(cluster).orElseThrow().seen().master()).isEqualTo("db2");
    }

    @Test
    void probeLeaseIsPerClusterAndApartFromTheFailoverLock() {
        store.holdProbeLease(cluster, "probe-A", LEASE, seen("db1", "alive"));

        assertThat(store.holdProbeLease(cluster + "x", "probe-B", LEASE, seen("db1", "alive"))).isTrue();
        assertThat(store.lock(cluster, "exec-1", TTL)).as("the probe lease is not the failover lock").isTrue();
        assertThat(store.probeStatus(cluster + "y")).isEmpty();
    }

    // --- nothing is cached in a store instance ---

    @Test
    void twoStoresOnTheSameStateSeeEachOthersChanges() {
        // as two executions (processes, Lambdas) would
        StateStore second = openStore(clock);

        assertThat(store.lock(cluster, "A", TTL)).isTrue();
        assertThat(second.lock(cluster, "B", TTL)).isFalse();

        second.record(record("exec-1", "failed", start));
        assertThat(store.lastFailover(cluster)).get().extracting(LastFailover::status).isEqualTo(LastFailover.Status.ERROR);

        store.acknowledge(cluster, "alice");
        assertThat(second.lastFailover(cluster)).get().extracting(LastFailover::acknowledged).isEqualTo(true);

        store.unlock(cluster, "A");
        assertThat(second.lock(cluster, "B", TTL)).isTrue();
    }
}
