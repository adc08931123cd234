package io.mhaserverless.local.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port's behaviour is {@link StateStoreContract}'s; here only what is the file store's own. */
class FileStateStoreTest extends StateStoreContract {

    @TempDir
    Path dir;

    @Override
    protected StateStore openStore(Clock clock) {
        return new FileStateStore(dir, clock);
    }

    @Test
    void theLockExpiresAtItsInstant() {
        // instants, not whole seconds: free exactly when the TTL has passed
        Duration ttl = Duration.ofMillis(90_500);
        store.lock(cluster, "A", ttl);

        clock.advance(ttl.minusMillis(1));
        assertThat(store.lock(cluster, "B", ttl)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.lock(cluster, "B", ttl)).isTrue();
    }

    @Test
    void eachClusterIsOneJsonFileReplacedWholeWithNoTemporaryLeftBehind() throws IOException {
        store.lock(cluster, "A", Duration.ofMinutes(5));
        store.record(record("exec-1", "failed", start));
        store.acknowledge(cluster, "alice");
        store.unlock(cluster, "A");

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the state, and the file the OS lock is taken on")
                    .containsExactlyInAnyOrder(cluster + ".json", cluster + ".lock");
        }
        assertThat(Files.readString(dir.resolve(cluster + ".json")))
                .contains("\"executionId\" : \"exec-1\"").contains("\"acknowledged\" : true").contains("\"lock\" : null");
    }

    @Test
    void readingAClusterNeverWrittenCreatesNothing() throws IOException {
        assertThat(store.lastFailover(cluster)).isEmpty();
        assertThat(store.history(cluster, 10)).isEmpty();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
