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

    /**
     * Records a finished planned switchover in the history only: the last-failover record is left as
     * it is, so a switchover never holds back the automatic failover of a master that dies later
     * (idempotent per execution id).
     */
    void recordSwitchover(FailoverRecord record);

    /** An operator's acknowledgement of a failed failover (MHA: deleting .failover.error); the next may run. */
    void acknowledge(String cluster, String operator);

    /** The cluster's failovers, newest first. */
    List<FailoverRecord> history(String cluster, int limit);

    /** Where the cluster's unfinished failover stands, replacing what was saved before. */
    void saveProgress(Progress progress);

    /** The cluster's unfinished failover, if one was interrupted or is running. */
    Optional<Progress> progress(String cluster);

    /** Forgets the progress if it is {@code executionId}'s; a no-op otherwise (safe to run twice). */
    void clearProgress(String cluster, String executionId);

    /**
     * An unfinished failover: the execution document after the last state it completed. Saved after
     * every phase, removed once the failover's report is out, so that a failover whose controller
     * was killed can be finished from where it stood (issue: "an interrupted failover can always be
     * finished").
     *
     * @param completedState the state of asl.json whose output {@code document} is
     * @param document       the execution document (JSON) that state left
     */
    record Progress(String cluster, String executionId, String completedState, String document, Instant at) {
    }

    /**
     * The last failover: {@code ERROR} blocks the next automatic one until acknowledged;
     * {@code COMPLETED} blocks one for lastFailoverMinutes unless the execution ignores it.
     */
    record LastFailover(String cluster, String executionId, Instant at, Status status, boolean acknowledged) {
        public enum Status { COMPLETED, ERROR }
    }

    /**
     * One failover or switchover, as history keeps it; {@code reportJson} is the report's JSON form
     * (a switchover's says {@code "mode": "switchover"}, and {@code deadMaster} is its old master).
     */
    record FailoverRecord(String cluster, String executionId, Instant startedAt, Instant endedAt, String outcome,
                          String deadMaster, String newMaster, String reportJson) {
    }
}
