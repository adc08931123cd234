package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverState.ReplicaPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Phase 5: which replica becomes the master — MHA's select_new_master, rule for rule
 * (mha-inventory §3.4), in config order within each rule:
 * <ol>
 * <li>the operator's {@code --new-master}, if it is a live replica and not a bad candidate; else stop</li>
 * <li>a latest replica that is a candidateMaster (latestPriority)</li>
 * <li>any candidateMaster that is not bad</li>
 * <li>a latest replica that is not bad (latestPriority)</li>
 * <li>any replica that is not bad</li>
 * </ol>
 * A replica is bad when it is noMaster, has log_bin OFF, has a failed SQL thread, (GTID) does not
 * binlog what it replicates, or (checkReplDelay) applied far less than the latest replica
 * received: a different binlog file, or more than checkReplDelayBytes behind.
 * {@code force} lifts the delay rule only, and the report says so; noMaster and log_bin never yield.
 */
public final class SelectNewMaster implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.SELECT_NEW_MASTER;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        Selection selection = select(state, config);
        context.progress().info(name().stateName(), "selected " + selection.name() + ": " + selection.reason());
        FailoverState next = state.withNewMaster(selection.name(), selection.reason());
        for (String warning : selection.warnings()) {
            next = next.withWarning(warning);
        }
        return next;
    }

    record Selection(String name, String reason, List<String> warnings) {
    }

    static Selection select(FailoverState state, ClusterConfig config) {
        ReplicaPosition latest = state.recoverySource();
        Map<String, String> bad = new LinkedHashMap<>();
        Map<String, String> delayed = new LinkedHashMap<>();
        for (ReplicaPosition r : state.replicas()) {
            if (r.noMaster()) {
                bad.put(r.name(), "noMaster");
            } else if (!r.logBin()) {
                bad.put(r.name(), "log_bin is OFF");
            } else if (r.delaySeconds() > 0) {
                bad.put(r.name(), "a delayed replica (MASTER_DELAY " + r.delaySeconds() + " s)");
            } else if (!r.sqlError().isEmpty()) {
                bad.put(r.name(), "its SQL thread stopped with " + r.sqlError());
            } else if (state.gtid() && !r.logReplicaUpdates()) {
                bad.put(r.name(), "log_slave_updates is OFF, so replicas behind it could not get what they lack from its binlog");
            } else if (config.checkReplDelay()) {
                delay(latest, r, config.checkReplDelayBytes()).ifPresent(d -> delayed.put(r.name(), d));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (state.force()) {
            delayed.forEach((name, why) -> warnings.add(name + " " + why + ": allowed as a new master because forced"));
        } else {
            bad.putAll(delayed);
        }

        if (state.requestedNewMaster() != null) {
            String wanted = state.requestedNewMaster();
            if (state.replicas().stream().noneMatch(r -> r.name().equals(wanted))) {
                throw new FailoverException("newMaster " + wanted + " is not a live replica of " + state.deadMaster());
            }
            if (bad.containsKey(wanted)) {
                throw new FailoverException("newMaster " + wanted + " cannot be promoted: " + bad.get(wanted)
                        + (delayed.containsKey(wanted) ? " (promote anyway with force=true)" : ""));
            }
            return new Selection(wanted, "chosen by the operator (newMaster)", warnings);
        }
        List<ReplicaPosition> good = state.replicas().stream().filter(r -> !bad.containsKey(r.name())).toList();
        Optional<ReplicaPosition> pick;
        if (config.latestPriority()) {
            pick = good.stream().filter(r -> state.latest().contains(r.name()) && r.candidateMaster()).findFirst();
            if (pick.isPresent()) {
                return new Selection(pick.get().name(), "a latest replica and a candidateMaster", warnings);
            }
        }
        pick = good.stream().filter(ReplicaPosition::candidateMaster).findFirst();
        if (pick.isPresent()) {
            return new Selection(pick.get().name(), "a candidateMaster"
                    + (state.latest().contains(pick.get().name()) ? "" : " (behind the latest replica: caught up from it first)"),
                    warnings);
        }
        if (config.latestPriority()) {
            pick = good.stream().filter(r -> state.latest().contains(r.name())).findFirst();
            if (pick.isPresent()) {
                return new Selection(pick.get().name(), "a latest replica", warnings);
            }
        }
        if (!good.isEmpty()) {
            ReplicaPosition any = good.get(0);
            return new Selection(any.name(), "the first replica that may become master"
                    + (state.latest().contains(any.name()) ? "" : " (behind the latest replica: caught up from it first)"),
                    warnings);
        }
        throw new FailoverException("no replica can become the new master: " + bad.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "))
                + (delayed.isEmpty() ? "" : " (a delayed replica can be promoted with force=true)"));
    }

    /** MHA's check_repl_delay: how far this replica's applied position trails what the latest received. */
    static Optional<String> delay(ReplicaPosition latest, ReplicaPosition r, long limitBytes) {
        if (!latest.receivedFile().equals(r.executedFile())) {
            return Optional.of("applied up to " + r.executedFile() + ":" + r.executedPos() + " while the latest replica "
                    + latest.name() + " received into " + latest.receivedFile() + " (checkReplDelay)");
        }
        long behind = latest.receivedPos() - r.executedPos();
        if (behind > limitBytes) {
            return Optional.of("is " + behind + " bytes behind the latest replica " + latest.name()
                    + " (checkReplDelayBytes " + limitBytes + ")");
        }
        return Optional.empty();
    }
}
