package io.mhaserverless.core.failover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a failover has learnt and decided so far. Each phase takes one and returns the next;
 * it is plain data (no connections, no secrets) so that Step Functions can carry it between Lambda
 * invocations as JSON, and a retried phase starts from exactly what its first attempt started from.
 * Fields a phase has not reached yet are null or empty.
 *
 * @param deadMaster         the master that failed (named by the operator or discovered)
 * @param requestedNewMaster the operator's {@code --new-master}, if any
 * @param force              MHA's "I know": promote despite errant GTIDs or a replica too far behind
 * @param gtid               whether the replicas replicate with GTID auto-positioning
 * @param replicas           the replicas of the dead master as FindLatestReplicas saw them
 * @param latest             the replicas that received the most of the dead master's binlog
 * @param oldest             the replicas that received the least
 * @param boundary           the latest replica's executed position in the dead master's binlog once its
 *                           relay log is applied (file:pos): a transaction boundary that everything
 *                           recovered from relay logs ends at and the saved binlog starts at
 * @param relaySource        file/position: the latest replica whose relay logs hold what every other replica
 *                           needs (MHA's find_slave_with_all_relay_logs), null when none does or in GTID mode
 * @param lackingRelayLogs   file/position: the replicas whose position no latest replica's relay logs hold any
 *                           more; only the dead master's binlog can bring them up
 * @param leftOut            replicas left out of the failover because of errant transactions, with why: never
 *                           promoted, never a recovery source, not touched; the report names them for repair
 * @param cannotTakeWriterIp replicas whose host cannot take the writer IP (its ENI's subnet does not contain it),
 *                           with why: CheckConfiguration found them; they are recovered but never promoted
 * @param salvage            what became of the dead master's binlog (SaveDeadMasterBinlog: within reach or not;
 *                           RecoverNewMaster: saved and applied)
 * @param lastSeenMasterBinlog the dead master's binlog position when it was last seen alive (file:pos), if known
 * @param formerMaster       the dead master of the cluster's previous failover (its history), if any: still
 *                           configured and dead, it is no replica whose death refuses this failover
 * @param newMaster          the server SelectNewMaster chose
 * @param newMasterGtids     what the new master has executed once RecoverNewMaster is done
 * @param newMasterBinlog    the new master's binlog position once RecoverNewMaster is done (file:pos)
 * @param outcomes           what RecoverReplicas did on each replica
 */
public record FailoverState(
        String cluster,
        String deadMaster,
        String requestedNewMaster,
        boolean force,
        boolean gtid,
        List<ReplicaPosition> replicas,
        List<String> latest,
        List<String> oldest,
        String boundary,
        String relaySource,
        List<String> lackingRelayLogs,
        List<ReplicaOutcome> leftOut,
        Map<String, String> cannotTakeWriterIp,
        Salvage salvage,
        String lastSeenMasterBinlog,
        String formerMaster,
        String newMaster,
        String selectionReason,
        String newMasterGtids,
        String newMasterBinlog,
        List<ReplicaOutcome> outcomes,
        List<String> warnings,
        List<PhaseRecord> phases,
        long startedAtMillis,
        List<Resume> resumes) {

    public FailoverState {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        latest = latest == null ? List.of() : List.copyOf(latest);
        oldest = oldest == null ? List.of() : List.copyOf(oldest);
        lackingRelayLogs = lackingRelayLogs == null ? List.of() : List.copyOf(lackingRelayLogs);
        leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
        cannotTakeWriterIp = cannotTakeWriterIp == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(cannotTakeWriterIp));
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        phases = phases == null ? List.of() : List.copyOf(phases);
        resumes = resumes == null ? List.of() : List.copyOf(resumes);
    }

    /** The input of a failover: which cluster, optionally which master died and which replica to promote. */
    public static FailoverState start(String cluster, String deadMaster, String requestedNewMaster, boolean force, long nowMillis) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, false, List.of(), List.of(), List.of(),
                null, null, List.of(), List.of(), Map.of(), null, null, null, null, null, null, null, List.of(), List.of(), List.of(), nowMillis, List.of());
    }

    /**
     * One replica of the dead master, frozen after its IO thread was stopped.
     *
     * @param received       Master_Log_File:Read_Master_Log_Pos in the dead master's binlog
     * @param executed       Relay_Master_Log_File:Exec_Master_Log_Pos
     * @param receivedGtids  the received GTID set (MySQL Retrieved_Gtid_Set, MariaDB Gtid_IO_Pos)
     * @param executedGtids  what the replica has executed (MySQL gtid_executed, MariaDB gtid_binlog_state)
     * @param relayLogIndex  where its relay logs are listed, for the node agent
     * @param logReplicaUpdates whether it binlogs what it replicates (log_slave_updates): only then can
     *                       it serve as a GTID source for replicas behind it
     * @param sqlError       its SQL thread's last error, empty when none: such a replica is not promoted
     * @param delaySeconds   its MASTER_DELAY: a delayed replica keeps lagging on purpose, so it is neither
     *                       promoted nor recovered from, and nobody waits for it to catch up
     */
    public record ReplicaPosition(String name, String receivedFile, long receivedPos, String executedFile, long executedPos,
                                  String receivedGtids, String executedGtids, boolean candidateMaster, boolean noMaster,
                                  boolean logBin, String relayLogIndex, boolean logReplicaUpdates, String sqlError,
                                  long delaySeconds) {

        public ReplicaPosition withExecuted(String file, long pos) {
            return new ReplicaPosition(name, receivedFile, receivedPos, file, pos, receivedGtids, executedGtids, candidateMaster,
                    noMaster, logBin, relayLogIndex, logReplicaUpdates, sqlError, delaySeconds);
        }

        /** Applied everything it received (as far as positions tell before any wait). */
        public boolean fullyApplied() {
            return receivedFile.equals(executedFile) && receivedPos == executedPos;
        }

        /** Can other servers replicate from it with GTIDs and get everything it has? */
        public boolean servesGtidReplicas() {
            return logBin && logReplicaUpdates && sqlError.isEmpty();
        }
    }

    /**
     * The dead master's binlog after the boundary: saved on its host ({@code SAVED}), found empty,
     * or out of reach — then everything after {@code from} that no replica received may be lost.
     * {@code PENDING}: its host answers, and RecoverNewMaster saves it and applies it to the new
     * master in one node-agent call (then it is one of the others).
     */
    public record Salvage(Status status, String from, String path, long bytes, long events, long transactions,
                          String lastEnd, String gtids, String detail) {
        public enum Status { SAVED, NOTHING_NEWER, UNREACHABLE, PENDING }
    }

    /** What happened to one replica in RecoverReplicas. */
    public record ReplicaOutcome(String name, boolean ok, String message) {
    }

    /**
     * A controller that finished what an interrupted one left: from which state, when, and why the
     * first one stopped (killed, failed, or its Step Functions execution redriven).
     */
    public record Resume(String at, long atMillis, String why) {
    }

    /** Records that this failover was resumed at {@code at}. */
    public FailoverState withResume(Resume resume) {
        List<Resume> more = new ArrayList<>(resumes);
        more.add(resume);
        return copy().resumes(more).build();
    }

    /**
     * How long the cluster had no writable master, as far as this failover knows: from its start (the
     * master was dead by then) to the end of RecoverNewMaster (read_only OFF); null before that. A
     * resumed failover's count includes the time no controller ran.
     */
    public Long noWritableMasterMillis() {
        return phases.stream().filter(p -> p.phase().equals(PhaseName.RECOVER_NEW_MASTER.stateName())).findFirst()
                .map(p -> Math.max(0, p.startedAtMillis() + p.millis() - startedAtMillis)).orElse(null);
    }

    /** When a phase ran and what it concluded, for the report and the console. */
    public record PhaseRecord(String phase, long startedAtMillis, long millis, String summary) {
    }

    public FailoverState withDeadMaster(String name, boolean gtidMode) {
        return copy().deadMaster(name).gtid(gtidMode).build();
    }

    public FailoverState withPositions(List<ReplicaPosition> positions, List<String> latestNames, List<String> oldestNames,
                                       String boundaryPosition) {
        return copy().replicas(positions).latest(latestNames).oldest(oldestNames).boundary(boundaryPosition).build();
    }

    /** MHA's base slave: the latest replica that holds every relay log the others need, and who lacks them. */
    public FailoverState withRelaySource(String name, List<String> lacking) {
        return copy().relaySource(name).lackingRelayLogs(lacking).build();
    }

    /** Replicas with errant transactions that the failover leaves alone, and why. */
    public FailoverState withLeftOut(List<ReplicaOutcome> replicas) {
        return copy().leftOut(replicas).build();
    }

    /** Whether the failover leaves this replica alone. */
    public boolean isLeftOut(String name) {
        return leftOut.stream().anyMatch(o -> o.name().equals(name));
    }

    public FailoverState withSalvage(Salvage value) {
        return copy().salvage(value).build();
    }

    public FailoverState withLastSeenMasterBinlog(String value) {
        return copy().lastSeenMasterBinlog(value).build();
    }

    public FailoverState withFormerMaster(String name) {
        return copy().formerMaster(name).build();
    }

    public FailoverState withNewMaster(String name, String reason) {
        return copy().newMaster(name).selectionReason(reason).build();
    }

    public FailoverState withNewMasterPosition(String gtids, String binlog) {
        return copy().newMasterGtids(gtids).newMasterBinlog(binlog).build();
    }

    public FailoverState withOutcomes(List<ReplicaOutcome> results) {
        return copy().outcomes(results).build();
    }

    /** The replicas that may not become master because they cannot take the writer IP, and why (CheckConfiguration). */
    public FailoverState withCannotTakeWriterIp(Map<String, String> reasons) {
        return copy().cannotTakeWriterIp(reasons).build();
    }

    /** Adds a warning once: a phase that runs twice must not say the same thing twice. */
    public FailoverState withWarning(String warning) {
        if (warnings.contains(warning)) {
            return this;
        }
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        return copy().warnings(more).build();
    }

    /** Records a phase run; a re-run replaces the record of the earlier run of the same phase. */
    public FailoverState withPhase(PhaseRecord record) {
        List<PhaseRecord> more = new ArrayList<>(phases.stream().filter(p -> !p.phase().equals(record.phase())).toList());
        more.add(record);
        return copy().phases(more).build();
    }

    /**
     * The latest replica that everything is recovered from: a latest one whose SQL thread works
     * (FindLatestReplicas applied its relay log; the boundary is where it ended) and, in GTID mode,
     * that binlogs what it replicates so others can replicate from it. In file/position mode the one
     * FindLatestReplicas found holding every relay log the others need comes first (MHA's
     * find_slave_with_all_relay_logs); otherwise one that had already applied all it received: a relay
     * log left unapplied is not always applicable later (MariaDB's GTID mode does not resume it once
     * the IO thread stopped).
     */
    public ReplicaPosition recoverySource() {
        List<ReplicaPosition> eligible = recoverySources();
        return eligible.stream().filter(r -> r.name().equals(relaySource)).findFirst()
                .or(() -> eligible.stream().findFirst())
                .orElseThrow(() -> new FailoverException("no latest replica (" + String.join(", ", latest) + ") can be recovered from: "
                        + (gtid ? "each has log_bin or log_slave_updates OFF, a SQL thread error or a MASTER_DELAY"
                                : "each has a SQL thread error or a MASTER_DELAY")));
    }

    /** Every latest replica that can be recovered from, those that had applied all they received first. */
    public List<ReplicaPosition> recoverySources() {
        List<ReplicaPosition> eligible = latest.stream().map(this::replica)
                .filter(r -> gtid ? r.servesGtidReplicas() : r.sqlError().isEmpty())
                .filter(r -> r.delaySeconds() == 0)
                .toList();
        List<ReplicaPosition> ordered = new ArrayList<>(eligible.stream().filter(ReplicaPosition::fullyApplied).toList());
        eligible.stream().filter(r -> !r.fullyApplied()).forEach(ordered::add);
        return ordered;
    }

    /**
     * Transactions may be lost: the dead master's binlog after the boundary could not be read, unless
     * it was last seen (by the probe) no further than the boundary.
     */
    public boolean lossPossible() {
        if (salvage == null || salvage.status() != Salvage.Status.UNREACHABLE) {
            return false;
        }
        if (lastSeenMasterBinlog != null && boundary != null) {
            var seen = io.mhaserverless.core.mysql.BinlogCoordinates.parse(lastSeenMasterBinlog);
            return seen.compareTo(io.mhaserverless.core.mysql.BinlogCoordinates.parse(boundary)) > 0;
        }
        return true;
    }

    public ReplicaPosition replica(String name) {
        return replicas.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new FailoverException(name + " is not a replica of the dead master " + deadMaster));
    }

    private Copy copy() {
        return new Copy(this);
    }

    /** Field-by-field copy: records have no withers, and positional constructors of 23 fields invite mistakes. */
    private static final class Copy {
        private String cluster;
        private String deadMaster;
        private String requestedNewMaster;
        private boolean force;
        private boolean gtid;
        private List<ReplicaPosition> replicas;
        private List<String> latest;
        private List<String> oldest;
        private String boundary;
        private String relaySource;
        private List<String> lackingRelayLogs;
        private List<ReplicaOutcome> leftOut;
        private Map<String, String> cannotTakeWriterIp;
        private Salvage salvage;
        private String lastSeenMasterBinlog;
        private String formerMaster;
        private String newMaster;
        private String selectionReason;
        private String newMasterGtids;
        private String newMasterBinlog;
        private List<ReplicaOutcome> outcomes;
        private List<String> warnings;
        private List<PhaseRecord> phases;
        private long startedAtMillis;
        private List<Resume> resumes;

        Copy(FailoverState s) {
            cluster = s.cluster;
            deadMaster = s.deadMaster;
            requestedNewMaster = s.requestedNewMaster;
            force = s.force;
            gtid = s.gtid;
            replicas = s.replicas;
            latest = s.latest;
            oldest = s.oldest;
            boundary = s.boundary;
            relaySource = s.relaySource;
            lackingRelayLogs = s.lackingRelayLogs;
            leftOut = s.leftOut;
            cannotTakeWriterIp = s.cannotTakeWriterIp;
            salvage = s.salvage;
            lastSeenMasterBinlog = s.lastSeenMasterBinlog;
            formerMaster = s.formerMaster;
            newMaster = s.newMaster;
            selectionReason = s.selectionReason;
            newMasterGtids = s.newMasterGtids;
            newMasterBinlog = s.newMasterBinlog;
            outcomes = s.outcomes;
            warnings = s.warnings;
            phases = s.phases;
            startedAtMillis = s.startedAtMillis;
            resumes = s.resumes;
        }

        Copy deadMaster(String v) { deadMaster = v; return this; }
        Copy gtid(boolean v) { gtid = v; return this; }
        Copy replicas(List<ReplicaPosition> v) { replicas = v; return this; }
        Copy latest(List<String> v) { latest = v; return this; }
        Copy oldest(List<String> v) { oldest = v; return this; }
        Copy boundary(String v) { boundary = v; return this; }
        Copy relaySource(String v) { relaySource = v; return this; }
        Copy lackingRelayLogs(List<String> v) { lackingRelayLogs = v; return this; }
        Copy leftOut(List<ReplicaOutcome> v) { leftOut = v; return this; }
        Copy cannotTakeWriterIp(Map<String, String> v) { cannotTakeWriterIp = v; return this; }
        Copy salvage(Salvage v) { salvage = v; return this; }
        Copy lastSeenMasterBinlog(String v) { lastSeenMasterBinlog = v; return this; }
        Copy formerMaster(String v) { formerMaster = v; return this; }
        Copy newMaster(String v) { newMaster = v; return this; }
        Copy selectionReason(String v) { selectionReason = v; return this; }
        Copy newMasterGtids(String v) { newMasterGtids = v; return this; }
        Copy newMasterBinlog(String v) { newMasterBinlog = v; return this; }
        Copy outcomes(List<ReplicaOutcome> v) { outcomes = v; return this; }
        Copy warnings(List<String> v) { warnings = v; return this; }
        Copy phases(List<PhaseRecord> v) { phases = v; return this; }
        Copy resumes(List<Resume> v) { resumes = v; return this; }

        FailoverState build() {
            return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, boundary,
                    relaySource, lackingRelayLogs, leftOut, cannotTakeWriterIp, salvage, lastSeenMasterBinlog, formerMaster, newMaster, selectionReason,
                    newMasterGtids, newMasterBinlog, outcomes, warnings, phases, startedAtMillis, resumes);
        }
    }
}
