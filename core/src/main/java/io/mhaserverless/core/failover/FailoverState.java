package io.mhaserverless.core.failover;

import java.util.ArrayList;
import java.util.List;

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
        String newMaster,
        String selectionReason,
        String newMasterGtids,
        String newMasterBinlog,
        List<ReplicaOutcome> outcomes,
        List<String> warnings,
        List<PhaseRecord> phases,
        long startedAtMillis) {

    public FailoverState {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        latest = latest == null ? List.of() : List.copyOf(latest);
        oldest = oldest == null ? List.of() : List.copyOf(oldest);
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    /** The input of a failover: which cluster, optionally which master died and which replica to promote. */
    public static FailoverState start(String cluster, String deadMaster, String requestedNewMaster, boolean force, long nowMillis) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, false, List.of(), List.of(), List.of(),
                null, null, null, null, List.of(), List.of(), List.of(), nowMillis);
    }

    /**
     * One replica of the dead master, frozen after its IO thread was stopped.
     *
     * @param received       Master_Log_File:Read_Master_Log_Pos in the dead master's binlog
     * @param executed       Relay_Master_Log_File:Exec_Master_Log_Pos
     * @param receivedGtids  the received GTID set (MySQL Retrieved_Gtid_Set, MariaDB Gtid_IO_Pos)
     * @param executedGtids  what the replica has executed (MySQL gtid_executed, MariaDB gtid_binlog_state)
     */
    public record ReplicaPosition(String name, String receivedFile, long receivedPos, String executedFile, long executedPos,
                                  String receivedGtids, String executedGtids, boolean candidateMaster, boolean noMaster,
                                  boolean logBin) {
    }

    /** What happened to one replica in RecoverReplicas. */
    public record ReplicaOutcome(String name, boolean ok, String message) {
    }

    /** When a phase ran and what it concluded, for the report and the console. */
    public record PhaseRecord(String phase, long startedAtMillis, long millis, String summary) {
    }

    public FailoverState withDeadMaster(String name, boolean gtidMode) {
        return new FailoverState(cluster, name, requestedNewMaster, force, gtidMode, replicas, latest, oldest, newMaster,
                selectionReason, newMasterGtids, newMasterBinlog, outcomes, warnings, phases, startedAtMillis);
    }

    public FailoverState withPositions(List<ReplicaPosition> positions, List<String> latestNames, List<String> oldestNames) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, positions, latestNames, oldestNames,
                newMaster, selectionReason, newMasterGtids, newMasterBinlog, outcomes, warnings, phases, startedAtMillis);
    }

    public FailoverState withNewMaster(String name, String reason) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, name,
                reason, newMasterGtids, newMasterBinlog, outcomes, warnings, phases, startedAtMillis);
    }

    public FailoverState withNewMasterPosition(String gtids, String binlog) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, newMaster,
                selectionReason, gtids, binlog, outcomes, warnings, phases, startedAtMillis);
    }

    public FailoverState withOutcomes(List<ReplicaOutcome> results) {
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, newMaster,
                selectionReason, newMasterGtids, newMasterBinlog, results, warnings, phases, startedAtMillis);
    }

    /** Adds a warning once: a phase that runs twice must not say the same thing twice. */
    public FailoverState withWarning(String warning) {
        if (warnings.contains(warning)) {
            return this;
        }
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, newMaster,
                selectionReason, newMasterGtids, newMasterBinlog, outcomes, more, phases, startedAtMillis);
    }

    /** Records a phase run; a re-run replaces the record of the earlier run of the same phase. */
    public FailoverState withPhase(PhaseRecord record) {
        List<PhaseRecord> more = new ArrayList<>(phases.stream().filter(p -> !p.phase().equals(record.phase())).toList());
        more.add(record);
        return new FailoverState(cluster, deadMaster, requestedNewMaster, force, gtid, replicas, latest, oldest, newMaster,
                selectionReason, newMasterGtids, newMasterBinlog, outcomes, warnings, more, startedAtMillis);
    }

    public ReplicaPosition replica(String name) {
        return replicas.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new FailoverException(name + " is not a replica of the dead master " + deadMaster));
    }
}
