package io.mhaserverless.functions.aws;

import io.mhaserverless.core.port.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link StateStore} on one DynamoDB table, key {@code pk} (S) + {@code sk} (S), one partition per cluster:
 *
 * <pre>
 * pk = cluster#&lt;name&gt;
 *   sk = lock                                   owner, expiresAt (epoch s; also the table's TTL attribute), lockedAt
 *   sk = last                                   executionId, at, status COMPLETED|ERROR, acknowledged, acknowledgedBy, acknowledgedAt
 *   sk = history#&lt;startedAt&gt;#&lt;executionId&gt;   cluster, executionId, startedAt, endedAt, outcome, deadMaster, newMaster, reportJson
 *   sk = progress                               executionId, completedState, document, at (an unfinished failover)
 *   sk = probe                                  owner, leaseUntil (epoch ms), master, state, aliveSince, lastPingAt,
 *                                               lastPingMillis, detail (the probe lease and its last sighting)
 * </pre>
 *
 * The history sort key carries startedAt as fixed-width UTC ({@code 2026-11-21T07:18:10.123Z}, always
 * three fraction digits) so that string order is time order; {@code Instant.toString()} drops zero
 * fractions and would sort {@code 10.5Z} before {@code 10Z}. The full-precision instant is an attribute.
 * Every read is strongly consistent: the lock and the last-failover guard decide whether a failover runs.
 */
public final class DynamoDbStateStore implements StateStore {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String LOCK = "lock";
    static final String LAST = "last";
    static final String HISTORY = "history#";
    static final String PROGRESS = "progress";
    /** Not {@link #EXPIRES_AT}: the table's TTL would delete the sighting that {@code mha status} shows. */
    static final String PROBE = "probe";
    /** The lock's expiry; DynamoDB's TTL removes stale locks eventually, the condition ignores them at once. */
    static final String EXPIRES_AT = "expiresAt";

    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String SERVICE = "DynamoDB";

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public DynamoDbStateStore(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC());
    }

    /** @param clock decides lock expiry (tests move it instead of sleeping) */
    public DynamoDbStateStore(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** Creates the table (on-demand capacity, TTL on expiresAt) unless it exists; for tests and the local runtime. */
    public static void createTable(DynamoDbClient ddb, String table) {
        try {
            ddb.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
        } catch (ResourceInUseException exists) {
            return;
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "CreateTable", e);
        }
        AwsErrors.call(SERVICE, "DescribeTable", () -> ddb.waiter().waitUntilTableExists(r -> r.tableName(table)));
        AwsErrors.call(SERVICE, "UpdateTimeToLive", () -> ddb.updateTimeToLive(r -> r.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true))));
    }

    @Override
    public boolean lock(String cluster, String owner, Duration ttl) {
        Instant now = clock.instant();
        long expiresAt = now.getEpochSecond() + Math.max(1, ceilSeconds(ttl));
        Map<String, AttributeValue> item = key(cluster, LOCK);
        item.put("owner", s(owner));
        item.put(EXPIRES_AT, n(expiresAt));
        item.put("lockedAt", s(now.toString()));
        try {
            // Free, expired, or ours already (a retried step re-takes its own lock and extends it).
            ddb.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #exp < :now OR #owner = :owner")
                    .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT, "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()), ":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "PutItem", e);
        }
    }

    @Override
    public void unlock(String cluster, String owner) {
        try {
            ddb.deleteItem(r -> r.tableName(table).key(key(cluster, LOCK))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Someone else's lock, or none: leave it alone.
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "DeleteItem", e);
        }
    }

    @Override
    public Optional<LastFailover> lastFailover(String cluster) {
        Map<String, AttributeValue> item = AwsErrors.call(SERVICE, "GetItem",
                () -> ddb.getItem(r -> r.tableName(table).key(key(cluster, LAST)).consistentRead(true))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LastFailover(cluster, str(item, "executionId"), Instant.parse(str(item, "at")),
                LastFailover.Status.valueOf(str(item, "status")), bool(item, "acknowledged")));
    }

    @Override
    public void record(FailoverRecord record) {
        Map<String, AttributeValue> history = key(record.cluster(), historyKey(record.startedAt(), record.executionId()));
        history.put("cluster", s(record.cluster()));
        history.put("executionId", s(record.executionId()));
        history.put("startedAt", s(record.startedAt().toString()));
        putIfPresent(history, "endedAt", record.endedAt() == null ? null : record.endedAt().toString());
        putIfPresent(history, "outcome", record.outcome());
        putIfPresent(history, "deadMaster", record.deadMaster());
        putIfPresent(history, "newMaster", record.newMaster());
        putIfPresent(history, "reportJson", record.reportJson());

        Map<String, AttributeValue> last = key(record.cluster(), LAST);
        last.put("executionId", s(record.executionId()));
        last.put("at", s((record.endedAt() != null ? record.endedAt() : record.startedAt()).toString()));
        last.put("status", s(statusOf(record.outcome()).name()));
        last.put("acknowledged", AttributeValue.fromBool(false));

        // The history row's condition makes the pair idempotent: a second record() of the same
        // execution cancels the whole transaction, so it neither duplicates history nor undoes an
        // acknowledgement given in between.
        try {
            ddb.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(history)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK)).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(last).build()).build()));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return;
            }
            if (reasons.stream().anyMatch(x -> "TransactionConflict".equals(x.code()))) {
                throw new RetryableFailure(SERVICE, "TransactWriteItems", "TransactionConflict",
                        "DynamoDB TransactWriteItems failed: TransactionConflict while recording " + record.executionId(), e);
            }
            throw AwsErrors.map(SERVICE, "TransactWriteItems", e);
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "TransactWriteItems", e);
        }
    }

    /** The history row alone, under the same condition as {@link #record}: a second call of the same execution changes nothing. */
    @Override
    public void recordSwitchover(FailoverRecord record) {
        Map<String, AttributeValue> history = key(record.cluster(), historyKey(record.startedAt(), record.executionId()));
        history.put("cluster", s(record.cluster()));
        history.put("executionId", s(record.executionId()));
        history.put("startedAt", s(record.startedAt().toString()));
        putIfPresent(history, "endedAt", record.endedAt() == null ? null : record.endedAt().toString());
        putIfPresent(history, "outcome", record.outcome());
        putIfPresent(history, "deadMaster", record.deadMaster());
        putIfPresent(history, "newMaster", record.newMaster());
        putIfPresent(history, "reportJson", record.reportJson());
        try {
            ddb.putItem(r -> r.tableName(table).item(history).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException recorded) {
            // recorded already: a retried report step
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "PutItem", e);
        }
    }

    @Override
    public void acknowledge(String cluster, String operator) {
        try {
            ddb.updateItem(r -> r.tableName(table).key(key(cluster, LAST))
                    .updateExpression("SET #ack = :true, #by = :by, #ackAt = :now")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#ack", "acknowledged", "#by", "acknowledgedBy",
                            "#ackAt", "acknowledgedAt", "#pk", PK))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":by", s(operator),
                            ":now", s(clock.instant().toString()))));
        } catch (ConditionalCheckFailedException none) {
            throw new FatalFailure(SERVICE, "UpdateItem", "ConditionalCheckFailedException",
                    "cluster " + cluster + " has no failover to acknowledge", none);
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "UpdateItem", e);
        }
    }

    @Override
    public List<FailoverRecord> history(String cluster, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        QueryResponse response = AwsErrors.call(SERVICE, "Query", () -> ddb.query(r -> r.tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :history)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(partition(cluster)), ":history", s(HISTORY)))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(limit)));
        List<FailoverRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            String ended = str(item, "endedAt");
            records.add(new FailoverRecord(str(item, "cluster"), str(item, "executionId"), Instant.parse(str(item, "startedAt")),
                    ended == null ? null : Instant.parse(ended), str(item, "outcome"), str(item, "deadMaster"),
                    str(item, "newMaster"), str(item, "reportJson")));
        }
        return records;
    }

    @Override
    public void saveProgress(Progress progress) {
        Map<String, AttributeValue> item = key(progress.cluster(), PROGRESS);
        item.put("executionId", s(progress.executionId()));
        item.put("completedState", s(progress.completedState()));
        item.put("document", s(progress.document()));
        item.put("at", s(progress.at().toString()));
        AwsErrors.call(SERVICE, "PutItem", () -> ddb.putItem(r -> r.tableName(table).item(item)));
    }

    @Override
    public Optional<String> lockOwner(String cluster) {
        Map<String, AttributeValue> item = AwsErrors.call(SERVICE, "GetItem",
                () -> ddb.getItem(r -> r.tableName(table).key(key(cluster, LOCK)).consistentRead(true))).item();
        if (item == null || item.isEmpty() || !item.containsKey(EXPIRES_AT)
                || Long.parseLong(item.get(EXPIRES_AT).n()) < clock.instant().getEpochSecond()) {
            return Optional.empty(); // none, or expired (the table's TTL removes it eventually)
        }
        return Optional.of(str(item, "owner"));
    }

    @Override
    public Optional<Progress> progress(String cluster) {
        Map<String, AttributeValue> item = AwsErrors.call(SERVICE, "GetItem",
                () -> ddb.getItem(r -> r.tableName(table).key(key(cluster, PROGRESS)).consistentRead(true))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Progress(cluster, str(item, "executionId"), str(item, "completedState"), str(item, "document"),
                Instant.parse(str(item, "at"))));
    }

    @Override
    public void clearProgress(String cluster, String executionId) {
        try {
            ddb.deleteItem(r -> r.tableName(table).key(key(cluster, PROGRESS))
                    .conditionExpression("#id = :id")
                    .expressionAttributeNames(Map.of("#id", "executionId"))
                    .expressionAttributeValues(Map.of(":id", s(executionId))));
        } catch (ConditionalCheckFailedException notOurs) {
            // another execution's progress, or none: leave it alone
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "DeleteItem", e);
        }
    }

    static String partition(String cluster) {
        return "cluster#" + cluster;
    }

    static String historyKey(Instant startedAt, String executionId) {
        return HISTORY + SORTABLE.format(startedAt) + "#" + executionId;
    }

    /** A failed failover blocks the next automatic one until acknowledged (MHA's .failover.error). */
    static LastFailover.Status statusOf(String outcome) {
        return outcome != null && outcome.toLowerCase(Locale.ROOT).equals("failed")
                ? LastFailover.Status.ERROR : LastFailover.Status.COMPLETED;
    }

    @Override
    public boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = key(cluster, PROBE);
        item.put("owner", s(owner));
        item.put("leaseUntil", n(now.plus(ttl).toEpochMilli()));
        putIfPresent(item, "master", seen.master());
        putIfPresent(item, "state", seen.state());
        putIfPresent(item, "aliveSince", seen.aliveSince() == null ? null : seen.aliveSince().toString());
        putIfPresent(item, "lastPingAt", seen.lastPingAt() == null ? null : seen.lastPingAt().toString());
        item.put("lastPingMillis", n(seen.lastPingMillis()));
        putIfPresent(item, "detail", seen.detail());
        try {
            // Free (never taken or released), expired, or ours already.
            ddb.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR attribute_not_exists(#owner) OR #until < :now OR #owner = :owner")
                    .expressionAttributeNames(Map.of("#pk", PK, "#until", "leaseUntil", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "PutItem", e);
        }
    }

    @Override
    public void releaseProbeLease(String cluster, String owner) {
        try {
            ddb.updateItem(r -> r.tableName(table).key(key(cluster, PROBE))
                    .updateExpression("REMOVE #owner SET #until = :now")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner", "#until", "leaseUntil"))
                    .expressionAttributeValues(Map.of(":owner", s(owner), ":now", n(clock.millis()))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Another prober's lease, or none: leave it alone.
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "UpdateItem", e);
        }
    }

    @Override
    public Optional<ProbeStatus> probeStatus(String cluster) {
        Map<String, AttributeValue> item = AwsErrors.call(SERVICE, "GetItem",
                () -> ddb.getItem(r -> r.tableName(table).key(key(cluster, PROBE)).consistentRead(true))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        ProbeSighting seen = new ProbeSighting(str(item, "master"), str(item, "state"), instant(item, "aliveSince"),
                instant(item, "lastPingAt"), item.containsKey("lastPingMillis") ? Long.parseLong(item.get("lastPingMillis").n()) : 0,
                str(item, "detail"));
        return Optional.of(new ProbeStatus(cluster, str(item, "owner"),
                Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())), seen));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = str(item, name);
        return text == null ? null : Instant.parse(text);
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    private static Map<String, AttributeValue> key(String cluster, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(PK, s(partition(cluster)));
        key.put(SK, s(sk));
        return key;
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        // DynamoDB has no null string: an absent attribute reads back as null.
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    @Override
    public String toString() {
        return "DynamoDbStateStore[table=" + table + "]";
    }
}
