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
 * A replica is bad when it is noMaster, has log_bin OFF, has a failed SQL thread, (file/position)
 * lacks the relay logs it needs while the dead master's binlog is out of reach, (GTID) does not
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

    /** The chosen replica, why, and what the report must say about the choice. */
    public record Selection(String name, String reason, List<String> warnings) {
    }

    /**
     * One replica as the precedence sees it, its fitness already judged.
     *
     * @param unfit     why it may not become master, if it may not
     * @param forceable the only reason is its lag (checkReplDelay): force=true would lift it
     */
    public record Contender(String name, boolean candidateMaster, boolean latest, Optional<String> unfit, boolean forceable) {
    }

    static Selection select(FailoverState state, ClusterConfig config) {
        ReplicaPosition latest = state.recoverySource();
        Map<String, String> bad = new LinkedHashMap<>();
        Map<String, String> delayed = new LinkedHashMap<>();
        for (ReplicaPosition r : state.replicas()) {
            if (r.noMaster()) {
                bad.put(r.name(), "noMaster");
            } else if (state.cannotTakeWriterIp().containsKey(r.name())) {
                bad.put(r.name(), "it cannot take the writer IP: " + state.cannotTakeWriterIp().get(r.name()));
            } else if (!r.logBin()) {
                bad.put(r.name(), "log_bin is OFF");
            } else if (r.delaySeconds() > 0) {
                bad.put(r.name(), "a delayed replica (MASTER_DELAY " + r.delaySeconds() + " s)");
            } else if (!r.sqlError().isEmpty()) {
                bad.put(r.name(), "its SQL thread stopped with " + r.sqlError());
            } else if (state.lackingRelayLogs().contains(r.name()) && !deadMasterReadable(state)) {
                bad.put(r.name(), "no latest replica holds the relay logs it needs and the dead master's binlog is out of reach,"
                        + " so it cannot be brought up to date (MHA: lack_relay_log)");
            } else if (state.gtid() && !r.logReplicaUpdates()) {
                bad.put(r.name(), "log_slave_updates is OFF, so replicas behind it could not get what they lack from its binlog");
            } else if (config.checkReplDelay()) {
                delay(latest, r, config.checkReplDelayBytes()).ifPresent(d -> delayed.put(r.name(), d));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (state.force()) {
            delayed.forEach((name, why) -> warnings.add(name + " " + why + ": allowed as a new master because forced"));
            delayed.clear();
        }
        List<Contender> contenders = state.replicas().stream().map(r -> new Contender(r.name(), r.candidateMaster(),
                state.latest().contains(r.name()), Optional.ofNullable(bad.getOrDefault(r.name(), delayed.get(r.name()))),
                delayed.containsKey(r.name()))).toList();
        return choose(contenders, state.requestedNewMaster(), state.deadMaster(), config.latestPriority(), warnings);
    }

    /**
     * MHA's precedence over replicas whose fitness is judged (listed in config order): the
     * operator's choice, else the rules of this class's comment. A failover judges lag and salvage;
     * a switchover, whose replicas are all caught up, passes every one as latest.
     *
     * @param master the server they replicate from, for the messages
     */
    public static Selection choose(List<Contender> contenders, String requested, String master, boolean latestPriority,
                                   List<String> warnings) {
        if (requested != null) {
            Contender wanted = contenders.stream().filter(c -> c.name().equals(requested)).findFirst().orElseThrow(() ->
                    new FailoverException("newMaster " + requested + " is not a live replica of " + master));
            if (wanted.unfit().isPresent()) {
                throw new FailoverException("newMaster " + requested + " cannot be promoted: " + wanted.unfit().get()
                        + (wanted.forceable() ? " (promote anyway with force=true)" : ""));
            }
            return new Selection(requested, "chosen by the operator (newMaster)", warnings);
        }
        List<Contender> good = contenders.stream().filter(c -> c.unfit().isEmpty()).toList();
        Optional<Contender> pick;
        if (latestPriority) {
            pick = good.stream().filter(c -> c.latest() && c.candidateMaster()).findFirst();
            if (pick.isPresent()) {
                return new Selection(pick.get().name(), "a latest replica and a candidateMaster", warnings);
            }
        }
        pick = good.stream().filter(Contender::candidateMaster).findFirst();
        if (pick.isPresent()) {
            return new Selection(pick.get().name(), "a candidateMaster"
                    + (pick.get().latest() ? "" : " (behind the latest replica: caught up from it first)"), warnings);
        }
        if (latestPriority) {
            pick = good.stream().filter(Contender::latest).findFirst();
            if (pick.isPresent()) {
                return new Selection(pick.get().name(), "a latest replica", warnings);
            }
        }
        if (!good.isEmpty()) {
            Contender any = good.get(0);
            return new Selection(any.name(), "the first replica that may become master"
                    + (any.latest() ? "" : " (behind the latest replica: caught up from it first)"), warnings);
        }
        // reasons that force cannot lift first, then lag, as an operator reads what to fix
        List<Contender> unfit = new ArrayList<>(contenders.stream().filter(c -> !c.forceable()).toList());
        unfit.addAll(contenders.stream().filter(Contender::forceable).toList());
        throw new FailoverException("no replica can become the new master: " + unfit.stream()
                .map(c -> c.name() + " " + c.unfit().orElseThrow()).collect(Collectors.joining("; "))
                + (contenders.stream().anyMatch(Contender::forceable) ? " (a delayed replica can be promoted with force=true)" : ""));
    }

    /** SaveDeadMasterBinlog found the dead master's binlog within reach: it can be read from any position. */
    private static boolean deadMasterReadable(FailoverState state) {
        return state.salvage() != null && state.salvage().status() != FailoverState.Salvage.Status.UNREACHABLE;
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
