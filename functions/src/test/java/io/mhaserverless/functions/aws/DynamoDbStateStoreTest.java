package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStoreContract;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Against DynamoDB Local over HTTP: real conditions, transactions and queries, reached by the production
 * client. The port's behaviour is {@link StateStoreContract}'s; here only what is DynamoDB's own.
 */
class DynamoDbStateStoreTest extends StateStoreContract {

    static final String TABLE = "mha-state";
    /**
     * The test clock starts a month ahead of the real one: DynamoDB Local really deletes items whose
     * TTL attribute is in the (real) past, which would make a lock vanish in the middle of a test.
     */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30)).plusSeconds(7 * 3600);

    static DynamoDBProxyServer server;
    static DynamoDbClient ddb;

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

    @Override
    protected StateStore openStore(Clock clock) {
        return new DynamoDbStateStore(ddb, TABLE, clock);
    }

    @Override
    protected Instant startOfTime() {
        return T0;
    }

    /** Fatal, not retryable: the state machine must not retry an acknowledgement of nothing. */
    @Override
    protected Class<? extends RuntimeException> nothingToAcknowledge() {
        return FatalFailure.class;
    }

    @Test
    void theLockIsHeldThroughItsExpirySecond() {
        // expiresAt is whole epoch seconds (the table's TTL attribute) and the condition is "expiresAt < now"
        assertThat(store.lock(cluster, "a", Duration.ofSeconds(60))).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(store.lock(cluster, "b", Duration.ofSeconds(60))).as("at the expiry second").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.lock(cluster, "b", Duration.ofSeconds(60))).isTrue();
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
    void theTableLayoutIsTheDocumentedOne() {
        store.record(record("exec-1", "succeeded", Instant.parse("2026-11-21T07:00:00.123456Z")));
        store.record(record("exec-2", "failed", Instant.parse("2026-11-21T08:00:00Z")));
        store.acknowledge(cluster, "alice");

        Map<String, AttributeValue> history = item(cluster, "history#2026-11-21T07:00:00.123Z#exec-1");
        assertThat(history.get("startedAt").s()).isEqualTo("2026-11-21T07:00:00.123456Z");
        assertThat(item(cluster, "history#2026-11-21T08:00:00.000Z#exec-2")).isNotEmpty();
        assertThat(history.get("reportJson").s()).isEqualTo("{\"outcome\":\"succeeded\"}");
        Map<String, AttributeValue> last = item(cluster, "last");
        assertThat(last.get("status").s()).isEqualTo("ERROR");
        assertThat(last.get("acknowledgedBy").s()).isEqualTo("alice");
        assertThat(last.get("acknowledgedAt").s()).isEqualTo(T0.toString());
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

    private static Map<String, AttributeValue> item(String cluster, String sk) {
        return ddb.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("cluster#" + cluster), "sk", AttributeValue.fromS(sk)))).item();
    }
}
