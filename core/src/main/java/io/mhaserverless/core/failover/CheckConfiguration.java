package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Phase 1 (MHA's check_settings): re-read the config, rediscover the topology and refuse anything
 * unsafe before a single server is touched — a master that is alive, a replica that replicates
 * from elsewhere, a server the operator named that does not exist, errant transactions. A failure
 * here has changed nothing.
 */
public final class CheckConfiguration implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.CHECK_CONFIGURATION;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        if (!config.cluster().equals(state.cluster())) {
            throw new FailoverException("the config is for cluster '" + config.cluster() + "', not '" + state.cluster() + "'");
        }
        if (state.deadMaster() != null) {
            requireServer(config, state.deadMaster(), "deadMaster");
        }
        if (state.requestedNewMaster() != null) {
            ServerConfig wanted = requireServer(config, state.requestedNewMaster(), "newMaster");
            if (wanted.noMaster()) {
                throw new FailoverException("newMaster " + wanted.name() + " is configured noMaster: it is never promoted");
            }
            if (wanted.name().equals(state.deadMaster())) {
                throw new FailoverException("newMaster " + wanted.name() + " is the dead master");
            }
        }
        Topology topology = context.discover(config);
        ServerState master = topology.master().server().orElseThrow(() ->
                new FailoverException("cannot tell which server is the master: " + topology.master().problem().orElse("?")));
        if (state.deadMaster() != null && !master.name().equals(state.deadMaster())) {
            throw new FailoverException("deadMaster " + state.deadMaster() + " is not the master: the replicas follow "
                    + master.label());
        }
        if (master.alive()) {
            throw new FailoverException("the master " + master.label() + " is alive: refusing to fail over a healthy master"
                    + " (use a planned switchover to move it)");
        }
        FailoverState next = state;
        List<ServerState> replicas = new ArrayList<>();
        for (ServerState s : topology.others()) {
            if (!s.alive()) {
                next = dead(next, s);
                continue;
            }
            boolean fromMaster = topology.sourceOf(s).map(src -> src == master).orElse(false);
            if (fromMaster && !s.replica().orElseThrow().hasSourceCoordinates()) {
                throw new FailoverException(s.label() + " names " + master.label() + " as its source but has no position in its"
                        + " binlog (its replication was reset: Master_Log_File is empty), so it is not a replica of it; repair it"
                        + " or take it out of the config before failing over");
            }
            if (!fromMaster) {
                String from = s.replica().map(r -> topology.sourceOf(s).map(ServerState::label).orElse(r.sourceAddress()))
                        .orElse("nobody");
                if (config.multiTierSlave() && s.isReplica()) {
                    next = next.withWarning(s.label() + " replicates from " + from + " (multiTierSlave): left as it is");
                    continue;
                }
                throw new FailoverException(s.label() + " replicates from " + from + ", not from the dead master "
                        + master.label() + ": refusing an ambiguous topology");
            }
            replicas.add(s);
        }
        if (replicas.isEmpty()) {
            throw new FailoverException("no live replica of " + master.label() + " to promote");
        }
        List<ServerState> byFile = replicas.stream().filter(r -> !r.replica().orElseThrow().gtidPositioning()).toList();
        boolean gtid = byFile.isEmpty();
        if (!gtid && byFile.size() != replicas.size()) {
            throw new FailoverException("some replicas replicate by GTID, others by binlog file and position ("
                    + byFile.stream().map(ServerState::label).collect(Collectors.joining(", ")) + "): refusing a mixed topology");
        }
        if (!gtid && context.nodeAgent() == io.mhaserverless.core.port.NodeAgent.NONE) {
            throw new FailoverException("the replicas replicate by binlog file and position: that failover applies relay-log"
                    + " diffs and needs the node agent, which is not configured");
        }
        if (state.requestedNewMaster() != null && replicas.stream().noneMatch(r -> r.name().equals(state.requestedNewMaster()))) {
            throw new FailoverException("newMaster " + state.requestedNewMaster() + " is not a live replica of " + master.label());
        }
        if (replicas.stream().noneMatch(r -> !r.config().noMaster() && r.facts().orElseThrow().logBin())) {
            throw new FailoverException("no live replica can become the master: each is noMaster or has log_bin OFF");
        }
        // EC2 about the replicas' subnets, and an SSM command on the dead master's host: different
        // services, different hosts, each a second or so on AWS; asked at once, this waits for the slower
        FailoverState checking = next;
        Parallel.Both<FailoverState, Optional<String>> answers = Parallel.both(() -> writerIpTakers(checking, context, replicas),
                () -> deadMasterBinlogProblem(checking, context, master, replicas));
        next = answers.second().map(answers.first()::withWarning).orElse(answers.first());
        Map<ServerState, GtidSet> errant = errantTransactions(replicas);
        if (!errant.isEmpty()) {
            if (state.force()) {
                next = next.withWarning("errant transactions were ignored (forced): " + describe(errant));
            } else {
                next = leaveOut(next, context, master, replicas, errant);
            }
        }
        List<ServerState> taking = replicas.stream().filter(r -> !errant.containsKey(r) || state.force()).toList();
        context.progress().info(name().stateName(), "master " + master.label() + " is dead; " + taking.size() + " live replicas: "
                + taking.stream().map(ServerState::label).collect(Collectors.joining(", "))
                + (next.leftOut().isEmpty() ? "" : "; left out (errant transactions): "
                        + next.leftOut().stream().map(FailoverState.ReplicaOutcome::name).collect(Collectors.joining(", "))));
        return next.withDeadMaster(master.name(), gtid);
    }

    /**
     * Which replicas could take the writer IP (AWS: their primary ENI's subnet contains it), asked
     * now, before anything is fenced: one that cannot is treated as noMaster, and the failover is
     * refused when that leaves nobody, or when the operator asked for such a one, because fencing
     * would take the address from the old master with nowhere to put it.
     */
    private static FailoverState writerIpTakers(FailoverState state, FailoverContext context, List<ServerState> replicas) {
        // asked of every replica at once: on AWS each answer is two EC2 calls, on the failover's critical path
        List<ServerState> candidates = replicas.stream().filter(r -> !r.config().noMaster()).toList();
        List<java.util.Optional<String>> answers = Parallel.map(candidates, r -> context.writerIp().cannotTake(r.config()));
        Map<String, String> cannot = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            String name = candidates.get(i).name();
            answers.get(i).ifPresent(why -> cannot.put(name, why));
        }
        if (cannot.isEmpty()) {
            return state.withCannotTakeWriterIp(Map.of());
        }
        if (state.requestedNewMaster() != null && cannot.containsKey(state.requestedNewMaster())) {
            throw new FailoverException("newMaster " + state.requestedNewMaster() + " cannot take the writer IP: "
                    + cannot.get(state.requestedNewMaster()));
        }
        if (replicas.stream().noneMatch(r -> !r.config().noMaster() && r.facts().orElseThrow().logBin() && !cannot.containsKey(r.name()))) {
            throw new FailoverException("no live replica can become the master: none that may be promoted can take the writer IP ("
                    + cannot.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")) + ")");
        }
        FailoverState next = state.withCannotTakeWriterIp(cannot);
        for (Map.Entry<String, String> e : cannot.entrySet()) {
            next = next.withWarning(e.getKey() + " is treated as noMaster: it cannot take the writer IP (" + e.getValue() + ")");
        }
        return next;
    }

    /**
     * Errant transactions exclude the replicas that have them, not the failover: such a replica is
     * not promoted, not recovered from and not touched; the report names it for repair. The failover
     * is refused — nothing changed — only when that leaves no replica that may become the master, when
     * the operator asked for one of them, or when one of them received more of the dead master's binlog
     * than every other replica while the dead master's host does not answer: leaving it out would then
     * lose what only it received. {@code force} promotes despite errant transactions, as before.
     */
    private static FailoverState leaveOut(FailoverState state, FailoverContext context, ServerState master,
                                          List<ServerState> replicas, Map<ServerState, GtidSet> errant) {
        String found = "errant transactions (on a replica only, not from the master): " + describe(errant);
        if (state.requestedNewMaster() != null && errant.keySet().stream().anyMatch(r -> r.name().equals(state.requestedNewMaster()))) {
            throw new FailoverException(found + "; newMaster " + state.requestedNewMaster() + " has some: promote it anyway with force=true");
        }
        List<ServerState> rest = replicas.stream().filter(r -> !errant.containsKey(r)).toList();
        if (rest.stream().noneMatch(r -> !r.config().noMaster() && r.facts().orElseThrow().logBin())) {
            throw new FailoverException(found + "; no replica without them can become the master: promote anyway with force=true");
        }
        BinlogCoordinates restReceived = rest.stream().map(r -> r.replica().orElseThrow().received())
                .max(Comparator.naturalOrder()).orElseThrow();
        ServerConfig dead = master.config();
        boolean deadMasterReadable = dead.binlogDir().isPresent() && context.nodeAgent().reachable(dead);
        for (ServerState r : errant.keySet()) {
            BinlogCoordinates received = r.replica().orElseThrow().received();
            if (received.compareTo(restReceived) > 0 && !deadMasterReadable) {
                throw new FailoverException(found + "; " + r.label() + " received more of the dead master's binlog (up to " + received
                        + ") than any other replica (" + restReceived + ") and the dead master's host does not answer: leaving it out"
                        + " would lose what only it received; promote anyway with force=true");
            }
        }
        List<FailoverState.ReplicaOutcome> leftOut = errant.entrySet().stream().map(e -> new FailoverState.ReplicaOutcome(
                e.getKey().name(), false, "left out of the failover: it has errant transactions " + e.getValue()
                        + " (written on it, on no other replica); not promoted, not repointed: repair it, then point it at the new master"))
                .toList();
        return state.withLeftOut(leftOut);
    }

    /**
     * MHA's rule: a configured server that is dead stops the failover unless it is ignoreFail — a
     * replica that misses the failover is not recovered, and comes back replicating from a master
     * that is gone, diverged from the new one. The dead master of this cluster's previous failover,
     * still in the config, is no replica (MHA would have it removed with --remove_dead_master_conf).
     */
    private static FailoverState dead(FailoverState state, ServerState s) {
        if (s.config().ignoreFail()) {
            return state.withWarning(s.label() + " is dead (ignoreFail): it is left out of the failover");
        }
        if (s.name().equals(state.formerMaster())) {
            return state.withWarning(s.label() + " is dead: the master the previous failover replaced, left out");
        }
        throw new FailoverException(s.label() + " is dead and not ignoreFail: a replica that misses the failover is not recovered"
                + " and would come back diverged; bring it back, or set ignoreFail: true on it to fail over without it");
    }

    /**
     * MHA's save_binary_logs --command=test, before anything changes: when the dead master's host
     * answers, its binlog must be readable from where the replicas stopped receiving, or the
     * transactions only it has would be lost without need. A missing or unreadable binlogDir there is
     * a configuration error: refused unless forced (MHA: --ignore_binlog_server_error), and then the
     * answer is the warning to report. A host that does not answer is another matter: the failover
     * goes on and reports the possible loss.
     */
    private static Optional<String> deadMasterBinlogProblem(FailoverState state, FailoverContext context, ServerState master,
                                                            List<ServerState> replicas) {
        ServerConfig dead = master.config();
        if (dead.binlogDir().isEmpty() || !context.nodeAgent().reachable(dead)) {
            return Optional.empty();
        }
        BinlogCoordinates received = replicas.stream().map(r -> r.replica().orElseThrow().received())
                .max(Comparator.naturalOrder()).orElseThrow();
        try {
            context.nodeAgent().onDeadHost().checkBinlog(dead, dead.binlogDir().get(), BinlogCoordinates.prefix(received.file()), received);
            return Optional.empty();
        } catch (io.mhaserverless.core.port.NodeAgent.Unreachable gone) {
            return Optional.empty();
        } catch (io.mhaserverless.core.port.NodeAgent.Failed e) {
            String problem = "the host of the dead master " + dead.label() + " answers, but its binlog cannot be read from " + received
                    + " (binlogDir " + dead.binlogDir().get() + "): " + e.getMessage();
            if (!state.force()) {
                throw new FailoverException(problem + "; correct binlogDir, or fail over anyway with force=true and lose what only"
                        + " the dead master has");
            }
            return Optional.of(problem + "; failing over anyway (forced)");
        }
    }

    private static String describe(Map<ServerState, GtidSet> errant) {
        return errant.entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue()).collect(Collectors.joining("; "));
    }

    /**
     * With the master gone, a transaction is errant when a replica wrote it itself (its own server
     * id / uuid), never got it back through replication (a master-master peer's own writes come back
     * from the dead master, which had them: {@link io.mhaserverless.core.mysql.ServerFacts#writtenHereOnly}),
     * and no other replica has it: it cannot have come through replication.
     */
    static Map<ServerState, GtidSet> errantTransactions(List<ServerState> replicas) {
        Map<ServerState, GtidSet> found = new LinkedHashMap<>();
        for (ServerState r : replicas) {
            var facts = r.facts().orElseThrow();
            GtidSet own = facts.writtenHereOnly(r.flavor().orElseThrow().gtidOrigin(facts));
            for (ServerState other : replicas) {
                if (other != r) {
                    own = other.facts().orElseThrow().lacks(own);
                }
            }
            if (!own.isEmpty()) {
                found.put(r, own);
            }
        }
        return found;
    }

    private static ServerConfig requireServer(ClusterConfig config, String name, String option) {
        return config.server(name).orElseThrow(() -> new FailoverException(option + " " + name + ": no such server (servers: "
                + config.servers().stream().map(ServerConfig::name).collect(Collectors.joining(", ")) + ")"));
    }
}
