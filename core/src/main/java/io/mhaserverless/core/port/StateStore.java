package io.mhaserverless.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's failover state lives between invocations (AWS: one DynamoDB table with
 * conditional writes; locally: DynamoDB Local or a file). MHA kept the same facts in files:
 * {@code <app>.failover.complete} and {@code <app>.failover.error}.
 */
public interface StateStore {

    /**
     * Takes the cluster's failover lock for {@code owner} (an execution id) until {@code ttl} passes.
     * True when taken or already held by the same owner; false when another owner holds an
     * unexpired lock. One failover per cluster at a time.
     */
    boolean lock(String cluster, String owner, Duration ttl);

    /** Releases the lock if {@code owner} holds it; a no-op otherwise (safe to run twice). */
    void unlock(String cluster, String owner);

    /** The last failover of the cluster, completed or failed, if any. */
    Optional<LastFailover> lastFailover(String cluster);

    /** Records a finished failover: the history row and the last-failover record (idempotent per execution id). */
    void record(FailoverRecord record);

    /** An operator's acknowledgement of a failed failover (MHA: deleting .failover.error); the next may run. */
    void acknowledge(String cluster, String operator);

    /** The cluster's failovers, newest first. */
    List<FailoverRecord> history(String cluster, int limit);

    /**
     * The last failover: {@code ERROR} blocks the next automatic one until acknowledged;
     * {@code COMPLETED} blocks one for lastFailoverMinutes unless the execution ignores it.
     */
    record LastFailover(String cluster, String executionId, Instant at, Status status, boolean acknowledged) {
        public enum Status { COMPLETED, ERROR }
    }

    /** One failover, as history keeps it; {@code reportJson} is the report's JSON form. */
    record FailoverRecord(String cluster, String executionId, Instant startedAt, Instant endedAt, String outcome,
                          String deadMaster, String newMaster, String reportJson) {
    }
}
