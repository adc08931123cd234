package io.mhaserverless.functions.aws;

import io.mhaserverless.core.port.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe's secrets, kept for a while in a warm container: the probe reads its clusters' configs
 * every minute, and a Secrets Manager call per minute per cluster would be a twentieth of its bill
 * (docs/cost.md). A password rotated meanwhile costs nothing worse than refused pings (1045, which
 * count as alive and are logged) until the entry expires. The failover's steps read secrets fresh.
 */
public final class CachingSecretStore implements SecretStore {

    private record Entry(Account account, Instant expires) {
    }

    private final SecretStore source;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public CachingSecretStore(SecretStore source, Duration ttl, Clock clock) {
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Account account(String secretId) {
        Instant now = clock.instant();
        Entry e = entries.get(secretId);
        if (e != null && now.isBefore(e.expires())) {
            return e.account();
        }
        Account fresh = source.account(secretId);
        entries.put(secretId, new Entry(fresh, now.plus(ttl)));
        return fresh;
    }
}
