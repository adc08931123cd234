package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.port.SecretStore;
import io.mhaserverless.testbed.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingSecretStoreTest {

    @Test
    void aSecretIsReadOncePerTimeToLiveAndAgainAfterIt() {
        List<String> reads = new ArrayList<>();
        SecretStore source = id -> {
            reads.add(id);
            return new SecretStore.Account("admin", "pw-" + reads.size());
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        CachingSecretStore cached = new CachingSecretStore(source, Duration.ofMinutes(5), clock);

        assertThat(cached.account("mha/app1").password()).isEqualTo("pw-1");
        clock.advance(Duration.ofMinutes(4));
        assertThat(cached.account("mha/app1").password()).as("still cached").isEqualTo("pw-1");
        assertThat(cached.account("mha/app2").password()).as("per secret").isEqualTo("pw-2");
        clock.advance(Duration.ofMinutes(2));
        assertThat(cached.account("mha/app1").password()).as("expired: read again").isEqualTo("pw-3");
        assertThat(reads).containsExactly("mha/app1", "mha/app2", "mha/app1");
    }
}
