package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.failover.SelectNewMaster;
import io.mhaserverless.core.failover.SelectNewMaster.Contender;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.Row;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first step of a switchover (MHA's online checks, {@code masterha_master_switch
 * --master_state=alive}): everything that would make the write block long or the result wrong is
 * refused before a single server is touched — a dead server, a replica that does not replicate or
 * lags by more than runningUpdatesLimit, a new master that cannot be one (noMaster, log_bin OFF,
 * delayed, errant transactions), and a statement on the master running longer than
 * runningUpdatesLimit (setting read_only would wait for it with writes blocked). Then the new master
 * is chosen by the failover's rules: the operator's newMaster, else candidates first.
 */
public final class CheckSwitchover implements SwitchoverPhase {

    @Override
    public SwitchoverStep name() {
        return SwitchoverStep.CHECK_SWITCHOVER;
    }

    @Override
    public SwitchoverState apply(SwitchoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        if (!config.cluster().equals(state.cluster())) {
            throw new FailoverException("the config is for cluster '" + config.cluster() + "', not '" + state.cluster() + "'");
        }
        String requested = state.requestedNewMaster();
        if (requested != null) {
            ServerConfig wanted = config.server(requested).orElseThrow(() -> new FailoverException("newMaster " + requested
                    + ": no such server (servers: " + config.servers().stream().map(ServerConfig::name).collect(Collectors.joining(", "))
                    + ")"));
            if (wanted.noMaster()) {
                throw new FailoverException("newMaster " + wanted.label() + " is configured noMaster: it is never promoted");
            }
        }
        Topology topology = context.discover(config);
        ServerState master = topology.master().server().orElseThrow(() ->
                new FailoverException("cannot tell which server is the master: " + topology.master().problem().orElse("?")));
        if (!master.alive()) {
            throw new FailoverException("the master " + master.label() + " is dead: a switchover moves a live master (run a failover)");
        }
        if (master.name().equals(requested)) {
            throw new FailoverException("newMaster " + master.label() + " is the master already: nothing to switch");
        }
        SwitchoverState next = state;
        List<ServerState> replicas = new ArrayList<>();
        for (ServerState s : topology.others()) {
            if (!s.alive()) {
                if (s.config().ignoreFail()) {
                    next = next.withWarning(s.label() + " is dead (ignoreFail): left out of the switchover");
                    continue;
                }
                throw new FailoverException(s.label() + " is dead (" + s.deadReason().orElse("?") + "): a switchover needs every"
                        + " server alive; configure it ignoreFail to leave it out");
            }
            boolean fromMaster = topology.sourceOf(s).map(src -> src == master).orElse(false);
            if (!fromMaster) {
                String from = s.replica().map(r -> topology.sourceOf(s).map(ServerState::label).orElse(r.sourceAddress()))
                        .orElse("nobody");
                if (config.multiTierSlave() && s.isReplica()) {
                    next = next.withWarning(s.label() + " replicates from " + from + " (multiTierSlave): left as it is");
                    continue;
                }
                throw new FailoverException(s.label() + " replicates from " + from + ", not from the master " + master.label()
                        + ": refusing an ambiguous topology");
            }
            replicas.add(s);
        }
        if (replicas.isEmpty()) {
            throw new FailoverException("the master " + master.label() + " has no live replica to switch to");
        }
        List<ServerState> byFile = replicas.stream().filter(r -> !r.replica().orElseThrow().gtidPositioning()).toList();
        boolean gtid = byFile.isEmpty();
        if (!gtid && byFile.size() != replicas.size()) {
            throw new FailoverException("some replicas replicate by GTID, others by binlog file and position ("
                    + byFile.stream().map(ServerState::label).collect(Collectors.joining(", ")) + "): refusing a mixed topology");
        }
        for (ServerState r : replicas) {
            next = replicating(r, state.runningUpdatesLimit(), next);
        }
        // Read after the replicas: under writes, a replica read later than the master would seem to hold
        // transactions the master lacks. Read now, the master has everything any replica had.
        ServerFacts masterFacts = masterNow(context, config, master, state.runningUpdatesLimit());
        List<Contender> contenders = new ArrayList<>();
        for (ServerState r : replicas) {
            Optional<String> unfit = unfit(r, gtid, masterFacts, state.force())
                    .or(() -> context.writerIp().cannotTake(r.config()).map(why -> "it cannot take the writer IP: " + why));
            contenders.add(new Contender(r.name(), r.config().candidateMaster(), true, unfit, false));
        }
        SelectNewMaster.Selection chosen = SelectNewMaster.choose(contenders, requested, master.label(), false, List.of());
        if (config.checkReplFilter()) {
            sameFilters(master, topology.server(chosen.name()).orElseThrow(), replicas);
        }
        ServerFacts chosenFacts = topology.server(chosen.name()).flatMap(ServerState::facts).orElseThrow();
        GtidSet errant = masterFacts.lacks(chosenFacts.executedGtids());
        if (!errant.isEmpty()) {
            next = next.withWarning("errant transactions on " + chosen.name() + " were accepted (forced): " + errant);
        }
        boolean writable = masterFacts.writable();
        if (!writable) {
            next = next.withWarning("the master " + master.label() + " was read-only before the switchover");
        }
        List<String> names = replicas.stream().map(ServerState::name).toList();
        context.progress().info(name().stateName(), "master " + master.label() + " and " + replicas.size() + " replicas are healthy; "
                + chosen.name() + " takes over: " + chosen.reason());
        return next.withTopology(master.name(), gtid, writable, names, chosen.name(), chosen.reason());
    }

    /**
     * MHA's check_filter: a new master that binlogs other databases than the master did would stop
     * sending some writes to the replicas (Binlog_Do_DB / Binlog_Ignore_DB), and replicas that filter
     * differently from the new master would hold other data than it does (Replicate_*). Either is
     * refused, naming both sides; {@code checkReplFilter: false} turns the check off, as in MHA.
     */
    private static void sameFilters(ServerState master, ServerState newMaster, List<ServerState> replicas) {
        String masterBinlog = master.binlog().map(b -> b.filters()).orElse("");
        String newBinlog = newMaster.binlog().map(b -> b.filters()).orElse("");
        if (!masterBinlog.equals(newBinlog)) {
            throw new FailoverException("binlog filters differ: the new master " + newMaster.label() + " has " + newBinlog
                    + ", the master " + master.label() + " has " + masterBinlog + "; after the switch the replicas would get other"
                    + " writes (set checkReplFilter: false to switch anyway)");
        }
        String theirs = newMaster.replica().orElseThrow().filters().toString();
        for (ServerState r : replicas) {
            String mine = r.replica().orElseThrow().filters().toString();
            if (r != newMaster && !mine.equals(theirs)) {
                throw new FailoverException("replication filters differ: " + r.label() + " has " + mine + ", the new master "
                        + newMaster.label() + " has " + theirs + "; they would hold different data (set checkReplFilter: false to"
                        + " switch anyway)");
            }
        }
    }

    /** A replica that does not replicate, or lags by more than the limit, would hold the write block open or miss writes. */
    private static SwitchoverState replicating(ServerState r, long limit, SwitchoverState state) {
        ReplicaStatus status = r.replica().orElseThrow();
        if (!status.ioThreadRunning()) {
            throw new FailoverException(r.label() + ": its IO thread is not running (" + status.ioThread().name().toLowerCase(java.util.Locale.ROOT)
                    + (status.lastIoError().isBlank() ? "" : ": " + status.lastIoError()) + ")");
        }
        if (!status.sqlThreadRunning()) {
            throw new FailoverException(r.label() + ": its SQL thread is not running"
                    + (status.lastSqlError().isBlank() ? "" : " (" + status.lastSqlError() + ")"));
        }
        if (status.sqlDelaySeconds() > 0) {
            return state.withWarning(r.label() + " is a delayed replica (MASTER_DELAY " + status.sqlDelaySeconds()
                    + " s): it follows the new master with its delay, and nobody waits for it");
        }
        if (status.secondsBehindSource().isEmpty()) {
            throw new FailoverException(r.label() + ": Seconds_Behind_Master is unknown (NULL)");
        }
        long lag = status.secondsBehindSource().getAsLong();
        if (lag > limit) {
            throw new FailoverException(r.label() + " is " + lag + " s behind the master, more than runningUpdatesLimit=" + limit
                    + " s: the new master would need that long to catch up with writes blocked");
        }
        return state;
    }

    /** Why a replica may not become the new master; errant transactions count unless forced. */
    private static Optional<String> unfit(ServerState r, boolean gtid, ServerFacts master, boolean force) {
        ServerFacts facts = r.facts().orElseThrow();
        if (r.config().noMaster()) {
            return Optional.of("noMaster");
        }
        if (!facts.logBin()) {
            return Optional.of("log_bin is OFF");
        }
        long delay = r.replica().map(ReplicaStatus::sqlDelaySeconds).orElse(0L);
        if (delay > 0) {
            return Optional.of("a delayed replica (MASTER_DELAY " + delay + " s)");
        }
        if (gtid && !facts.logReplicaUpdates()) {
            return Optional.of("log_slave_updates is OFF, so replicas behind it could not get what they lack from its binlog");
        }
        GtidSet errant = master.lacks(facts.executedGtids());
        if (!errant.isEmpty() && !force) {
            return Optional.of("has errant transactions (not from the master): " + errant + "; switch anyway with force=true");
        }
        return Optional.empty();
    }

    /** The master's facts as of now, and no statement running longer than the limit. */
    private static ServerFacts masterNow(FailoverContext context, ClusterConfig config, ServerState master, long limit) {
        try (ServerSession s = context.open(config, master.config())) {
            List<Row> running = s.queryRows(s.flavor().longRunningUpdatesQuery(limit));
            if (!running.isEmpty()) {
                Row first = running.get(0);
                throw new FailoverException("the master " + master.label() + " has run a statement for " + first.text("seconds")
                        + " s (id " + first.text("id") + ", user " + first.text("user") + ": " + first.text("info").strip()
                        + ")" + (running.size() > 1 ? " and " + (running.size() - 1) + " more" : "")
                        + ", longer than runningUpdatesLimit=" + limit + " s: read_only would wait for it with writes blocked");
            }
            return s.facts();
        } catch (SQLException e) {
            throw new FailoverException(master.label() + ": cannot list its running statements: " + e.getMessage(), e);
        }
    }
}
