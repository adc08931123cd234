package io.mhaserverless.core.switchover;

import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a planned switchover has learnt and decided so far: plain data carried between the
 * states of asl.json (no connections, no secrets), like the failover's state. Fields a step has not
 * reached yet are null or empty.
 *
 * @param origMaster           the master being switched away from (alive)
 * @param requestedNewMaster   the operator's {@code newMaster}, if any
 * @param origMasterIsNewSlave whether the old master replicates from the new one afterwards
 * @param runningUpdatesLimit  seconds: the longest replica lag and master statement the switch accepts
 * @param force                accept errant transactions on the new master
 * @param gtid                 whether the replicas replicate with GTID auto-positioning
 * @param origMasterWasWritable whether the old master took writes before: a rollback gives it them back only then
 * @param replicas             the live replicas of the old master, the new master among them
 * @param finalBinlog          the old master's binlog position once writes were blocked (file:pos)
 * @param finalGtids           what the old master had executed once writes were blocked
 * @param newMasterBinlog      the new master's binlog position when it became writable (file:pos): where
 *                             replicas by file and position start
 * @param newMasterGtids       what the new master had executed when it became writable
 * @param writeBlock           how long writes were blocked, once SwitchMaster measured it
 * @param origMasterOutcome    what OrigMasterAsReplica did, if it ran
 * @param outcomes             what RepointReplicas did on each other replica
 */
public record SwitchoverState(
        String cluster,
        String origMaster,
        String requestedNewMaster,
        boolean origMasterIsNewSlave,
        long runningUpdatesLimit,
        boolean force,
        boolean gtid,
        boolean origMasterWasWritable,
        List<String> replicas,
        String newMaster,
        String selectionReason,
        String finalBinlog,
        String finalGtids,
        String newMasterBinlog,
        String newMasterGtids,
        WriteBlock writeBlock,
        ReplicaOutcome origMasterOutcome,
        List<ReplicaOutcome> outcomes,
        List<String> warnings,
        List<PhaseRecord> phases,
        long startedAtMillis) {

    public SwitchoverState {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    /**
     * The write block as SwitchMaster measured it, from the moment the old master was set read-only
     * to the moment the new master was writable: what clients saw as "no master takes writes".
     *
     * @param startedAtMillis  when SET GLOBAL read_only was sent to the old master (the runtime's clock)
     * @param readOnlyAtMicros when it had taken effect (epoch microseconds, the runtime's clock): no statement of
     *                         an ordinary client that starts later can write on the old master
     * @param millis           from sending read_only ON until read_only was OFF on the new master
     * @param catchUpMillis    of that, the new master's wait for the old master's final position
     * @param sessionsKilled   client sessions with an open transaction that were ended on the old master
     */
    public record WriteBlock(long startedAtMillis, long readOnlyAtMicros, long millis, long catchUpMillis, int sessionsKilled) {
    }

    /** The input of a switchover. */
    public static SwitchoverState start(String cluster, String requestedNewMaster, boolean origMasterIsNewSlave,
                                        long runningUpdatesLimit, boolean force, long nowMillis) {
        return new SwitchoverState(cluster, null, requestedNewMaster, origMasterIsNewSlave, runningUpdatesLimit, force, false, true,
                List.of(), null, null, null, null, null, null, null, null, List.of(), List.of(), List.of(), nowMillis);
    }

    /** What CheckSwitchover found: who is master, who follows it, and who takes over. */
    public SwitchoverState withTopology(String master, boolean gtidMode, boolean masterWritable, List<String> liveReplicas,
                                        String chosen, String reason) {
        return copy().origMaster(master).gtid(gtidMode).origMasterWasWritable(masterWritable).replicas(liveReplicas)
                .newMaster(chosen).selectionReason(reason).build();
    }

    public SwitchoverState withSwitch(String finalBinlogPosition, String finalGtidSet, String newBinlog, String newGtids,
                                      WriteBlock block) {
        return copy().finalBinlog(finalBinlogPosition).finalGtids(finalGtidSet).newMasterBinlog(newBinlog).newMasterGtids(newGtids)
                .writeBlock(block).build();
    }

    public SwitchoverState withOutcomes(List<ReplicaOutcome> results) {
        return copy().outcomes(results).build();
    }

    public SwitchoverState withOrigMasterOutcome(ReplicaOutcome outcome) {
        return copy().origMasterOutcome(outcome).build();
    }

    /** Adds a warning once: a step that runs twice must not say the same thing twice. */
    public SwitchoverState withWarning(String warning) {
        if (warnings.contains(warning)) {
            return this;
        }
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        return copy().warnings(more).build();
    }

    /** Records a step; a re-run replaces the record of its earlier run. */
    public SwitchoverState withPhase(PhaseRecord record) {
        List<PhaseRecord> more = new ArrayList<>(phases.stream().filter(p -> !p.phase().equals(record.phase())).toList());
        more.add(record);
        return copy().phases(more).build();
    }

    /** The replicas RepointReplicas works on: every live replica of the old master but the new master. */
    public List<String> otherReplicas() {
        return newMaster == null ? List.of() : replicas.stream().filter(r -> !r.equals(newMaster)).toList();
    }

    public boolean completed(SwitchoverStep step) {
        return phases.stream().anyMatch(p -> p.phase().equals(step.stateName()));
    }

    private Copy copy() {
        return new Copy(this);
    }

    /** Field-by-field copy: records have no withers, and a positional constructor of 21 fields invites mistakes. */
    private static final class Copy {
        private final String cluster;
        private String origMaster;
        private final String requestedNewMaster;
        private final boolean origMasterIsNewSlave;
        private final long runningUpdatesLimit;
        private final boolean force;
        private boolean gtid;
        private boolean origMasterWasWritable;
        private List<String> replicas;
        private String newMaster;
        private String selectionReason;
        private String finalBinlog;
        private String finalGtids;
        private String newMasterBinlog;
        private String newMasterGtids;
        private WriteBlock writeBlock;
        private ReplicaOutcome origMasterOutcome;
        private List<ReplicaOutcome> outcomes;
        private List<String> warnings;
        private List<PhaseRecord> phases;
        private final long startedAtMillis;

        Copy(SwitchoverState s) {
            cluster = s.cluster;
            origMaster = s.origMaster;
            requestedNewMaster = s.requestedNewMaster;
            origMasterIsNewSlave = s.origMasterIsNewSlave;
            runningUpdatesLimit = s.runningUpdatesLimit;
            force = s.force;
            gtid = s.gtid;
            origMasterWasWritable = s.origMasterWasWritable;
            replicas = s.replicas;
            newMaster = s.newMaster;
            selectionReason = s.selectionReason;
            finalBinlog = s.finalBinlog;
            finalGtids = s.finalGtids;
            newMasterBinlog = s.newMasterBinlog;
            newMasterGtids = s.newMasterGtids;
            writeBlock = s.writeBlock;
            origMasterOutcome = s.origMasterOutcome;
            outcomes = s.outcomes;
            warnings = s.warnings;
            phases = s.phases;
            startedAtMillis = s.startedAtMillis;
        }

        Copy origMaster(String v) { origMaster = v; return this; }
        Copy gtid(boolean v) { gtid = v; return this; }
        Copy origMasterWasWritable(boolean v) { origMasterWasWritable = v; return this; }
        Copy replicas(List<String> v) { replicas = v; return this; }
        Copy newMaster(String v) { newMaster = v; return this; }
        Copy selectionReason(String v) { selectionReason = v; return this; }
        Copy finalBinlog(String v) { finalBinlog = v; return this; }
        Copy finalGtids(String v) { finalGtids = v; return this; }
        Copy newMasterBinlog(String v) { newMasterBinlog = v; return this; }
        Copy newMasterGtids(String v) { newMasterGtids = v; return this; }
        Copy writeBlock(WriteBlock v) { writeBlock = v; return this; }
        Copy origMasterOutcome(ReplicaOutcome v) { origMasterOutcome = v; return this; }
        Copy outcomes(List<ReplicaOutcome> v) { outcomes = v; return this; }
        Copy warnings(List<String> v) { warnings = v; return this; }
        Copy phases(List<PhaseRecord> v) { phases = v; return this; }

        SwitchoverState build() {
            return new SwitchoverState(cluster, origMaster, requestedNewMaster, origMasterIsNewSlave, runningUpdatesLimit, force, gtid,
                    origMasterWasWritable, replicas, newMaster, selectionReason, finalBinlog, finalGtids, newMasterBinlog,
                    newMasterGtids, writeBlock, origMasterOutcome, outcomes, warnings, phases, startedAtMillis);
        }
    }
}
