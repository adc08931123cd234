package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.mhaserverless.core.port.StateStore.FailoverRecord;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.testbed.MutableClock;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Against DynamoDB Local over HTTP: real conditions, transactions and queries, reached by the production client. */
class DynamoDbStateStoreTest {

    static final String TABLE = "mha-state";
    /**
     * The test clock starts a month ahead of the real one: DynamoDB Local really deletes items whose
     * TTL attribute is in the (real) past, which would make a lock vanish in the middle of a test.
     */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30)).plusSeconds(7 * 3600);
    static final AtomicInteger CLUSTERS = new AtomicInteger();

    static DynamoDBProxyServer server;
    static DynamoDbClient ddb;

    MutableClock clock;
    DynamoDbStateStore store;
    String cluster;

    @BeforeAll
    static void startDynamoDbLocal() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-disableTelemetry", "-port", Integer.toString(port)});
        server.start();
        ddb = TestAws.clients(URI.create("http://localhost:" + port)).dynamoDb();
        DynamoDbStateStore.createTable(ddb, TABLE);
    }

    @AfterAll
    static void stopDynamoDbLocal() throws Exception {
        if (ddb != null) {
            ddb.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void freshCluster() {
        clock = new MutableClock(T0);
        store = new DynamoDbStateStore(ddb, TABLE, clock);
        cluster = "app" + CLUSTERS.incrementAndGet();
    }

    @Test
    void twoOwnersRacingForTheLockExactlyOneWins() throws Exception {
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String owner = "execution-" + i;
                Callable<Boolean> race = () -> {
                    go.await();
                    return store.lock(cluster, owner, Duration.ofMinutes(30));
                };
                results.add(pool.submit(race));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theOwnerMayTakeItsLockAgain() {
        assertThat(store.lock(cluster, "a", Duration.ofMinutes(5))).isTrue();
        assertThat(store.lock(cluster, "a", Duration.ofMinutes(5))).isTrue();
        assertThat(store.lock(cluster, "b", Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void anExpiredLockLetsASecondOwnerIn() {
        assertThat(store.lock(cluster, "a", Duration.ofSeconds(60))).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(store.lock(cluster, "b", Duration.ofSeconds(60))).as("at the expiry second").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.lock(cluster, "b", Duration.ofSeconds(60))).isTrue();
        assertThat(store.lock(cluster, "a", Duration.ofSeconds(60))).isFalse();
    }

    @Test
    void theLockCarriesItsExpiryAsTheTablesTtlAttribute() {
        store.lock(cluster, "a", Duration.ofMillis(90_500));

        Map<String, AttributeValue> lock = item(cluster, "lock");
        assertThat(lock.get("owner").s()).isEqualTo("a");
        assertThat(lock.get("expiresAt").n()).isEqualTo(Long.toString(T0.getEpochSecond() + 91));
        assertThat(ddb.describeTimeToLive(r -> r.tableName(TABLE)).timeToLiveDescription())
                .satisfies(t -> assertThat(t.attributeName()).isEqualTo("expiresAt"))
                .satisfies(t -> assertThat(t.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING));
    }

    @Test
    void unlockByANonOwnerDoesNothing() {
        store.unlock(cluster, "nobody"); // no lock at all: fine
        assertThat(store.lock(cluster, "a", Duration.ofMinutes(5))).isTrue();

        store.unlock(cluster, "b");
        assertThat(store.lock(cluster, "c", Duration.ofMinutes(5))).isFalse();

        store.unlock(cluster, "a");
        store.unlock(cluster, "a");
        assertThat(store.lock(cluster, "c", Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void recordingTwiceKeepsOneHistoryRow() {
        FailoverRecord r = record("exec-1", T0, "succeeded");

        store.record(r);
        store.record(r);

        assertThat(store.history(cluster, 10)).containsExactly(r);
        assertThat(store.lastFailover(cluster)).contains(
                new LastFailover(cluster, "exec-1", T0.plusSeconds(2), LastFailover.Status.COMPLETED, false));
    }

    @Test
    void aFailedFailoverIsAnErrorUntilAcknowledged() {
        assertThat(store.lastFailover(cluster)).isEmpty();
        FailoverRecord failed = record("exec-9", T0, "failed");
        store.record(failed);

        assertThat(store.lastFailover(cluster).orElseThrow())
                .satisfies(l -> assertThat(l.status()).isEqualTo(LastFailover.Status.ERROR))
                .satisfies(l -> assertThat(l.acknowledged()).isFalse());

        store.acknowledge(cluster, "alice");
        store.record(failed); // a retried Report step must not undo the acknowledgement

        assertThat(store.lastFailover(cluster).orElseThrow().acknowledged()).isTrue();
        assertThat(item(cluster, "last").get("acknowledgedBy").s()).isEqualTo("alice");
        assertThat(store.history(cluster, 10)).hasSize(1);

        store.record(record("exec-10", T0.plusSeconds(600), "partial"));
        assertThat(store.lastFailover(cluster).orElseThrow())
                .isEqualTo(new LastFailover(cluster, "exec-10", T0.plusSeconds(602), LastFailover.Status.COMPLETED, false));
    }

    @Test
    void acknowledgingAClusterWithoutFailoverSaysSo() {
        assertThatThrownBy(() -> store.acknowledge(cluster, "alice"))
                .isInstanceOf(FatalFailure.class).hasMessageContaining(cluster);
    }

    @Test
    void historyIsNewestFirstAndLimited() {
        // Instant.toString() gives 07:00:00Z and 07:00:00.500Z: as text, the later one sorts first.
        FailoverRecord first = record("exec-a", T0, "succeeded");
        FailoverRecord second = record("exec-b", T0.plusMillis(500), "failed");
        FailoverRecord third = new FailoverRecord(cluster, "exec-c", T0.plusSeconds(3600), null, "failed", "db2", null, null);
        store.record(second);
        store.record(third);
        store.record(first);
        store.record(record("other-cluster", T0.plusSeconds(7200), "succeeded", cluster + "x"));

        assertThat(store.history(cluster, 10)).containsExactly(third, second, first);
        assertThat(store.history(cluster, 2)).containsExactly(third, second);
        assertThat(store.history(cluster, 0)).isEmpty();
    }

    @Test
    void theTableLayoutIsTheDocumentedOne() {
        store.record(record("exec-1", Instant.parse("2026-11-21T07:00:00.123456Z"), "succeeded"));
        store.record(record("exec-2", Instant.parse("2026-11-21T08:00:00Z"), "succeeded"));

        Map<String, AttributeValue> history = item(cluster, "history#2026-11-21T07:00:00.123Z#exec-1");
        assertThat(history.get("startedAt").s()).isEqualTo("2026-11-21T07:00:00.123456Z");
        assertThat(item(cluster, "history#2026-11-21T08:00:00.000Z#exec-2")).isNotEmpty();
        assertThat(history.get("reportJson").s()).isEqualTo("{\"outcome\":\"succeeded\"}");
        assertThat(item(cluster, "last").get("status").s()).isEqualTo("COMPLETED");
    }

    @Test
    void createTableIsIdempotent() {
        DynamoDbStateStore.createTable(ddb, TABLE);
        assertThat(ddb.describeTable(r -> r.tableName(TABLE)).table().keySchema()).hasSize(2);
    }

    @Test
    void aMissingTableIsFatalAndNamed() {
        DynamoDbStateStore nowhere = new DynamoDbStateStore(ddb, "no-such-table", clock);

        assertThatThrownBy(() -> nowhere.lock(cluster, "a", Duration.ofMinutes(1)))
                .isInstanceOf(FatalFailure.class)
                .hasMessageStartingWith("DynamoDB PutItem failed: ResourceNotFoundException (HTTP 400)");
    }

    private FailoverRecord record(String executionId, Instant startedAt, String outcome) {
        return record(executionId, startedAt, outcome, cluster);
    }

    private static FailoverRecord record(String executionId, Instant startedAt, String outcome, String cluster) {
        return new FailoverRecord(cluster, executionId, startedAt, startedAt.plusSeconds(2), outcome, "db1", "db2",
                "{\"outcome\":\"" + outcome + "\"}");
    }

    private static Map<String, AttributeValue> item(String cluster, String sk) {
        return ddb.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("cluster#" + cluster), "sk", AttributeValue.fromS(sk)))).item();
    }
}
