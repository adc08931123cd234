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

    /**
     * Who holds the cluster's failover lock now (an unexpired lock's owner), if anyone: lets a local
     * controller release the lock of a dead one at once when that one left no progress to resume.
     */
    Optional<String> lockOwner(String cluster);

    /** The last failover of the cluster, completed or failed, if any. */
    Optional<LastFailover> lastFailover(String cluster);

    /** Records a finished failover: the history row and the last-failover record (idempotent per execution id). */
    void record(FailoverRecord record);

    /**
     * Records a finished planned switchover (or a rejoin: its report says {@code "mode": "rejoin"},
     * {@code deadMaster} is the returning server) in the history only: the last-failover record is
     * left as it is, so neither holds back the automatic failover of a master that dies later
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
     * Takes or renews the cluster's probe lease for {@code owner} until {@code ttl} passes, saving
     * {@code seen} (what the prober saw last) with it. True when {@code owner} holds it now; false,
     * saving nothing, while another owner's lease has not expired. One prober per cluster: two
     * probers would race to start the same failover and double the load on the master.
     */
    boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen);

    /** Lets the lease go if {@code owner} holds it, keeping the last sighting (a no-op otherwise). */
    void releaseProbeLease(String cluster, String owner);

    /** Who probes the cluster and what it saw last, if it was ever probed. */
    Optional<ProbeStatus> probeStatus(String cluster);

    /**
     * What a prober saw at its last lease renewal.
     *
     * @param master        the server it watches (null before it found one)
     * @param state         {@code alive}, {@code suspect} (pings failing), {@code dead} (death confirmed),
     *                      {@code failing-over} or {@code no-master}
     * @param aliveSince    since when this master has been answering without a confirmed death between;
     *                      names the failover of its next death, so that any prober names it alike
     * @param lastPingAt    the last ping's end (null before the first)
     * @param lastPingMillis how long it took
     * @param detail        the last verdict, one line: the failed ping's error, the replicas' answers,
     *                      the execution started
     */
    record ProbeSighting(String master, String state, Instant aliveSince, Instant lastPingAt, long lastPingMillis, String detail) {
    }

    /** The lease and the sighting saved with it. */
    record ProbeStatus(String cluster, String owner, Instant leaseExpiresAt, ProbeSighting seen) {
    }

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
