package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rejoin has learnt so far, carried between the states of asl.json like a failover's state
 * (plain data, no connections, no secrets). Fields a step has not reached yet are null.
 *
 * @param server         the server coming back (the old master of a failover or switchover)
 * @param master         the current master it is to replicate from
 * @param gtid           whether it rejoins by GTID (executed sets compared) or by file and position
 * @param alreadyReplica it replicated from the current master already when CheckRejoin looked
 * @param savedUpTo      file/position: the position in its binlog up to which the recorded failover (or
 *                       switchover) took its transactions over; anything after it is the server's own
 * @param startAt        file/position: where in the current master's binlog it starts replicating
 * @param record         the execution whose record gave {@code savedUpTo} and {@code startAt}
 * @param result         what RejoinAsReplica did, once it ran
 */
public record RejoinState(String cluster, String server, String master, boolean gtid, boolean alreadyReplica, String savedUpTo,
                          String startAt, String record, String result, List<String> warnings, List<PhaseRecord> phases,
                          long startedAtMillis) {

    public RejoinState {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    public static RejoinState start(String cluster, String server, long nowMillis) {
        return new RejoinState(cluster, server, null, false, false, null, null, null, null, List.of(), List.of(), nowMillis);
    }

    public RejoinState withChecked(String master, boolean gtid, boolean alreadyReplica, String savedUpTo, String startAt,
                                   String record) {
        return new RejoinState(cluster, server, master, gtid, alreadyReplica, savedUpTo, startAt, record, result, warnings, phases,
                startedAtMillis);
    }

    public RejoinState withResult(String value) {
        return new RejoinState(cluster, server, master, gtid, alreadyReplica, savedUpTo, startAt, record, value, warnings, phases,
                startedAtMillis);
    }

    public RejoinState withWarning(String warning) {
        List<String> more = new ArrayList<>(warnings);
        if (!more.contains(warning)) {
            more.add(warning);
        }
        return new RejoinState(cluster, server, master, gtid, alreadyReplica, savedUpTo, startAt, record, result, more, phases,
                startedAtMillis);
    }

    /** Records a step run; a rerun replaces the record of the earlier run of the same step. */
    public RejoinState withPhase(PhaseRecord phase) {
        List<PhaseRecord> more = new ArrayList<>(phases.stream().filter(p -> !p.phase().equals(phase.phase())).toList());
        more.add(phase);
        return new RejoinState(cluster, server, master, gtid, alreadyReplica, savedUpTo, startAt, record, result, warnings, more,
                startedAtMillis);
    }
}
