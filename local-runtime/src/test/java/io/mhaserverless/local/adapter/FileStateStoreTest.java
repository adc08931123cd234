package io.mhaserverless.local.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.port.StateStore.FailoverRecord;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.testbed.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

    private static final Duration TTL = Duration.ofMinutes(45);
    private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);

    private FileStateStore store() {
        return new FileStateStore(dir, clock);
    }

    private static FailoverRecord record(String execution, String outcome, Instant started) {
        return new FailoverRecord("app1", execution, started, started.plusSeconds(30), outcome, "db1", "db2", "{}");
    }

    @Test
    void lockIsTakenByOneOwnerAtATime() {
        FileStateStore store = store();

        assertThat(store.lock("app1", "A", TTL)).isTrue();
        assertThat(store.lock("app1", "B", TTL)).isFalse();
    }

    @Test
    void lockIsPerCluster() {
        FileStateStore store = store();
        store.lock("app1", "A", TTL);

        assertThat(store.lock("app2", "B", TTL)).isTrue();
    }

    @Test
    void ownerTakesItsOwnLockAgain() {
        FileStateStore store = store();
        store.lock("app1", "A", TTL);

        assertThat(store.lock("app1", "A", TTL)).isTrue();
    }

    @Test
    void expiredLockCanBeTakenByAnother() {
        FileStateStore store = store();
        store.lock("app1", "A", TTL);

        clock.advance(TTL.minusSeconds(1));
        assertThat(store.lock("app1", "B", TTL)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.lock("app1", "B", TTL)).isTrue();
        assertThat(store.lock("app1", "A", TTL)).isFalse();
    }

    @Test
    void retakingALockExtendsIt() {
        FileStateStore store = store();
        store.lock("app1", "A", TTL);
        clock.advance(Duration.ofMinutes(40));
        store.lock("app1", "A", TTL);

        clock.advance(Duration.ofMinutes(10));

        assertThat(store.lock("app1", "B", TTL)).isFalse();
    }

    @Test
    void unlockReleasesOnlyTheOwnersLock() {
        FileStateStore store = store();
        store.lock("app1", "A", TTL);

        store.unlock("app1", "B");
        assertThat(store.lock("app1", "B", TTL)).isFalse();

        store.unlock("app1", "A");
        assertThat(store.lock("app1", "B", TTL)).isTrue();
    }

    @Test
    void unlockWithoutALockIsANoOp() {
        FileStateStore store = store();

        store.unlock("app1", "A");
        store.unlock("app1", "A");

        assertThat(store.lastFailover("app1")).isEmpty();
        assertThat(store.lock("app1", "B", TTL)).isTrue();
    }

    @Test
    void failedFailoverLeavesAnUnacknowledgedError() {
        FileStateStore store = store();
        FailoverRecord failed = record("exec-1", "failed", START);

        store.record(failed);

        assertThat(store.lastFailover("app1"))
                .contains(new LastFailover("app1", "exec-1", failed.endedAt(), LastFailover.Status.ERROR, false));
    }

    @Test
    void succeededAndPartialFailoversCountAsCompleted() {
        FileStateStore store = store();

        store.record(record("exec-1", "partial", START));
        assertThat(store.lastFailover("app1")).get().extracting(LastFailover::status).isEqualTo(LastFailover.Status.COMPLETED);

        store.record(record("exec-2", "succeeded", START.plusSeconds(60)));
        assertThat(store.lastFailover("app1")).get().extracting(LastFailover::executionId).isEqualTo("exec-2");
    }

    @Test
    void recordingTheSameExecutionTwiceNeitherDuplicatesHistoryNorUndoesAnAcknowledgement() {
        FileStateStore store = store();
        store.record(record("exec-1", "failed", START));
        store.acknowledge("app1", "alice");

        store.record(record("exec-1", "failed", START));

        assertThat(store.history("app1", 10)).extracting(FailoverRecord::executionId).containsExactly("exec-1");
        assertThat(store.lastFailover("app1")).get().extracting(LastFailover::acknowledged).isEqualTo(true);
    }

    @Test
    void acknowledgeMarksTheLastFailoverAndKeepsTheRest() {
        FileStateStore store = store();
        FailoverRecord failed = record("exec-1", "failed", START);
        store.record(failed);

        store.acknowledge("app1", "alice");

        assertThat(store.lastFailover("app1"))
                .contains(new LastFailover("app1", "exec-1", failed.endedAt(), LastFailover.Status.ERROR, true));
    }

    @Test
    void acknowledgeWithoutAFailoverFailsNamingTheCluster() {
        FileStateStore store = store();

        assertThatThrownBy(() -> store.acknowledge("app1", "alice"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cluster app1 has no failover to acknowledge");
    }

    @Test
    void newFailoverAfterAnAcknowledgementIsUnacknowledgedAgain() {
        FileStateStore store = store();
        store.record(record("exec-1", "failed", START));
        store.acknowledge("app1", "alice");

        store.record(record("exec-2", "failed", START.plusSeconds(3600)));

        assertThat(store.lastFailover("app1")).get().satisfies(l -> {
            assertThat(l.executionId()).isEqualTo("exec-2");
            assertThat(l.acknowledged()).isFalse();
        });
    }

    @Test
    void historyIsNewestFirstAndLimited() {
        FileStateStore store = store();
        // recorded out of order: the order of starting counts, not of recording
        store.record(record("exec-2", "succeeded", START.plusSeconds(7200)));
        store.record(record("exec-1", "failed", START));
        store.record(record("exec-3", "partial", START.plusSeconds(14400)));

        assertThat(store.history("app1", 10)).extracting(FailoverRecord::executionId).containsExactly("exec-3", "exec-2", "exec-1");
        assertThat(store.history("app1", 2)).extracting(FailoverRecord::executionId).containsExactly("exec-3", "exec-2");
        assertThat(store.history("app1", 0)).isEmpty();
        assertThat(store.history("app2", 10)).isEmpty();
    }

    @Test
    void historyKeepsEveryFieldOfTheRecord() {
        FileStateStore store = store();
        FailoverRecord r = new FailoverRecord("app1", "exec-1", START, START.plusMillis(1234), "succeeded", "db1", "db2",
                "{\"outcome\":\"succeeded\"}");

        store.record(r);

        assertThat(store.history("app1", 1)).containsExactly(r);
    }

    @Test
    void twoStoresOnTheSameDirectorySeeEachOthersState() {
        // as two `mha` processes would: nothing is cached in the instance
        FileStateStore first = store();
        FileStateStore second = store();

        assertThat(first.lock("app1", "A", TTL)).isTrue();
        assertThat(second.lock("app1", "B", TTL)).isFalse();

        second.record(record("exec-1", "failed", START));
        assertThat(first.lastFailover("app1")).get().extracting(LastFailover::status).isEqualTo(LastFailover.Status.ERROR);

        first.unlock("app1", "A");
        assertThat(second.lock("app1", "B", TTL)).isTrue();
    }
}
