package io.mhaserverless.core.topology;

import static io.mhaserverless.core.topology.Finding.Severity.ERROR;
import static io.mhaserverless.core.topology.Finding.Severity.WARN;

import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * MHA's start-up checks (mha-inventory §3.1) over a discovered {@link Topology}: each rule of
 * {@link HealthRule} looked at on every server it concerns. Pure: it reads the snapshot only.
 */
public final class ReplicationHealthCheck {

    private final long maxSecondsBehind;
    private final boolean ignoreFailOnStart;

    public ReplicationHealthCheck(long maxSecondsBehind) {
        this(maxSecondsBehind, false);
    }

    /**
     * @param ignoreFailOnStart MHA's --ignore_fail_on_start: a dead ignoreFail server is only a warning;
     *                          without it the start-up check fails on it, as MHA's does
     */
    public ReplicationHealthCheck(long maxSecondsBehind, boolean ignoreFailOnStart) {
        this.maxSecondsBehind = maxSecondsBehind;
        this.ignoreFailOnStart = ignoreFailOnStart;
    }

    public HealthReport check(Topology topology) {
        List<Finding> findings = new ArrayList<>();
        alive(topology, findings, ignoreFailOnStart);
        Optional<ServerState> master = topology.master().server();
        if (master.isEmpty()) {
            findings.add(new Finding(HealthRule.SINGLE_MASTER, ERROR, "cluster " + topology.config().cluster(),
                    topology.master().problem().orElse("no master")));
        }
        List<ServerState> replicas = new ArrayList<>();
        for (ServerState s : topology.others()) {
            if (!s.alive() || (master.isEmpty() && !s.isReplica())) {
                continue;
            }
            if (master.isPresent() && !replicatesFrom(topology, s, master.get(), findings)) {
                continue;
            }
            replicas.add(s);
        }
        for (ServerState r : replicas) {
            running(r, findings);
            lag(r, findings);
            readOnly(r, findings);
            relayLogPurge(topology, r, findings);
        }
        logBin(topology, findings);
        binlogDir(topology, findings);
        filters(topology, replicas, findings);
        gtidMode(topology, replicas, findings);
        master.filter(ServerState::alive).ifPresent(m -> errantGtids(m, replicas, findings));
        master.ifPresent(m -> writableIntermediateMasters(topology, m, findings));
        promotable(topology, replicas, findings);
        findings.sort(Comparator.comparing((Finding f) -> f.severity() == ERROR ? 0 : 1).thenComparing(f -> f.rule().ordinal()));
        return new HealthReport(topology, findings);
    }

    private static void alive(Topology topology, List<Finding> findings, boolean ignoreFailOnStart) {
        for (ServerState s : topology.servers()) {
            if (!s.alive()) {
                boolean isMaster = topology.master().server().map(m -> m == s).orElse(false);
                String reason = s.deadReason().orElse("").replace(s.label() + ": ", "");
                boolean ignored = s.config().ignoreFail() && !isMaster && ignoreFailOnStart;
                findings.add(new Finding(HealthRule.ALIVE, ignored ? WARN : ERROR, s.label(),
                        (isMaster ? "the master is dead: " : "dead: ") + reason
                                + (s.config().ignoreFail() && !isMaster && !ignoreFailOnStart
                                        ? " (ignoreFail: pass --ignore-fail-on-start to start without it)" : "")));
            }
        }
    }

    private static boolean replicatesFrom(Topology topology, ServerState s, ServerState master, List<Finding> findings) {
        if (s.replica().isEmpty()) {
            findings.add(new Finding(HealthRule.REPLICATES_FROM_MASTER, ERROR, s.label(),
                    "is not a replica of the master " + master.label()));
            return false;
        }
        Optional<ServerState> source = topology.sourceOf(s);
        if (source.isPresent() && source.get() == master) {
            if (!s.replica().get().hasSourceCoordinates()) {
                findings.add(new Finding(HealthRule.REPLICATES_FROM_MASTER, ERROR, s.label(), "names the master " + master.label()
                        + " as its source but has no position in its binlog (replication was reset: Master_Log_File is empty):"
                        + " it is not a replica of it"));
                return false;
            }
            return true;
        }
        String from = source.map(ServerState::label).orElse(s.replica().get().sourceAddress() + ", which is not in the config");
        if (source.isPresent() && topology.config().multiTierSlave()) {
            findings.add(new Finding(HealthRule.REPLICATES_FROM_MASTER, WARN, s.label(),
                    "replicates from " + from + ", not from the master " + master.label()
                            + ": unmanaged (multiTierSlave), it will not be repointed on failover"));
        } else {
            findings.add(new Finding(HealthRule.REPLICATES_FROM_MASTER, ERROR, s.label(),
                    "replicates from " + from + ", not from the master " + master.label()));
        }
        return false;
    }

    private static void running(ServerState r, List<Finding> findings) {
        ReplicaStatus status = r.replica().orElseThrow();
        Finding.Severity severity = r.config().ignoreFail() ? WARN : ERROR;
        if (!status.ioThreadRunning()) {
            findings.add(new Finding(HealthRule.REPLICATION_RUNNING, severity, r.label(),
                    "IO thread is " + status.ioThread().name().toLowerCase(java.util.Locale.ROOT)
                            + error(status.lastIoErrno(), status.lastIoError())));
        }
        if (!status.sqlThreadRunning()) {
            findings.add(new Finding(HealthRule.REPLICATION_RUNNING, severity, r.label(),
                    "SQL thread is stopped" + error(status.lastSqlErrno(), status.lastSqlError())));
        }
    }

    private static String error(int errno, String message) {
        return errno == 0 && message.isBlank() ? "" : " (error " + errno + ": " + message + ")";
    }

    private void lag(ServerState r, List<Finding> findings) {
        ReplicaStatus status = r.replica().orElseThrow();
        if (status.secondsBehindSource().isPresent() && status.secondsBehindSource().getAsLong() > maxSecondsBehind) {
            findings.add(new Finding(HealthRule.REPLICATION_LAG, ERROR, r.label(), "lags " + status.secondsBehindSource().getAsLong()
                    + " s behind the master (limit " + maxSecondsBehind + " s)"));
        }
    }

    private static void readOnly(ServerState r, List<Finding> findings) {
        ServerFacts f = r.facts().orElseThrow();
        if (!f.readOnly()) {
            findings.add(new Finding(HealthRule.READ_ONLY, WARN, r.label(), "read_only is OFF on a replica"));
        } else if (r.flavor().map(fl -> fl.hasSuperReadOnly()).orElse(false) && !f.superReadOnly().orElse(false)) {
            findings.add(new Finding(HealthRule.READ_ONLY, WARN, r.label(), "super_read_only is OFF on a replica"));
        }
    }

    private static void relayLogPurge(Topology topology, ServerState r, List<Finding> findings) {
        if (r.facts().orElseThrow().relayLogPurge()) {
            findings.add(new Finding(HealthRule.RELAY_LOG_PURGE, WARN, r.label(),
                    "relay_log_purge is ON: relay logs other replicas may need in a failover get deleted"));
        }
    }

    private static void logBin(Topology topology, List<Finding> findings) {
        for (ServerState s : topology.servers()) {
            if (s.alive() && !s.config().noMaster() && !s.facts().orElseThrow().logBin()) {
                findings.add(new Finding(HealthRule.LOG_BIN, ERROR, s.label(),
                        "log_bin is OFF, so it cannot become master (enable log_bin, or set noMaster: true)"));
            }
        }
    }

    /**
     * MHA's master_binlog_dir check. A master's binlog can be saved after mysqld dies only from the
     * directory the config names, since nobody can ask the dead server where it wrote: a missing
     * binlogDir costs the salvage (a warning), a wrong one fails it (an error).
     */
    private static void binlogDir(Topology topology, List<Finding> findings) {
        for (ServerState s : topology.servers()) {
            Optional<String> basename = s.facts().filter(ServerFacts::logBin).flatMap(ServerFacts::logBinBasename);
            if (!s.alive() || s.config().noMaster() || basename.isEmpty()) {
                continue;
            }
            String actual = java.nio.file.Path.of(basename.get()).getParent().toString();
            Optional<String> configured = s.config().binlogDir();
            if (configured.isEmpty()) {
                findings.add(new Finding(HealthRule.BINLOG_DIR, WARN, s.label(), "binlogDir is not set, so if mysqld dies here"
                        + " its last transactions cannot be saved from its binlog (set binlogDir: " + actual + ")"));
            } else if (!java.nio.file.Path.of(configured.get()).normalize().equals(java.nio.file.Path.of(actual).normalize())) {
                findings.add(new Finding(HealthRule.BINLOG_DIR, ERROR, s.label(), "binlogDir is " + configured.get()
                        + " but the server writes its binlog to " + actual + " (@@log_bin_basename " + basename.get() + ")"));
            }
        }
    }

    private static void filters(Topology topology, List<ServerState> replicas, List<Finding> findings) {
        if (!topology.config().checkReplFilter()) {
            return;
        }
        differing(replicas, r -> r.replica().orElseThrow().filters().toString(), (s, mine, usual) ->
                findings.add(new Finding(HealthRule.REPLICATION_FILTERS, ERROR, s.label(),
                        "replication filters differ: " + mine + " (others: " + usual + ")")));
        List<ServerState> logging = topology.servers().stream().filter(s -> s.binlog().isPresent()).toList();
        differing(logging, s -> s.binlog().orElseThrow().filters(), (s, mine, usual) ->
                findings.add(new Finding(HealthRule.REPLICATION_FILTERS, ERROR, s.label(),
                        "binlog filters differ: " + mine + " (others: " + usual + ")")));
    }

    private static void gtidMode(Topology topology, List<ServerState> replicas, List<Finding> findings) {
        List<ServerState> alive = topology.servers().stream().filter(ServerState::alive).toList();
        differing(alive, s -> s.facts().orElseThrow().gtidMode().orElse("(MariaDB)"), (s, mine, usual) ->
                findings.add(new Finding(HealthRule.GTID_MODE, ERROR, s.label(), "gtid_mode is " + mine + ", others have " + usual)));
        Function<ServerState, String> positioning = r -> r.replica().orElseThrow().gtidPositioning()
                ? "GTID auto-positioning" : "binlog file and position";
        differing(replicas, positioning, (s, mine, usual) ->
                findings.add(new Finding(HealthRule.GTID_MODE, ERROR, s.label(), "replicates by " + mine + ", others by " + usual)));
    }

    /**
     * A replica with errant transactions is left out of a failover (not promoted, not repointed) while
     * another replica can become the master: a warning to repair it. Only when none could is it an
     * error, since then a failover would be refused.
     */
    private static void errantGtids(ServerState master, List<ServerState> replicas, List<Finding> findings) {
        GtidSet masterSet = master.facts().orElseThrow().executedGtids();
        Map<ServerState, GtidSet> errant = new LinkedHashMap<>();
        for (ServerState r : replicas) {
            GtidSet extra = r.facts().orElseThrow().executedGtids().subtract(masterSet);
            if (!extra.isEmpty()) {
                errant.put(r, extra);
            }
        }
        boolean otherMaster = replicas.stream().anyMatch(r -> !errant.containsKey(r) && !r.config().noMaster()
                && r.facts().orElseThrow().logBin());
        errant.forEach((r, extra) -> findings.add(new Finding(HealthRule.ERRANT_GTID, otherMaster ? WARN : ERROR, r.label(),
                "has transactions the master " + master.label() + " does not have: " + extra
                        + (otherMaster ? "; a failover leaves it out (not promoted, not repointed) until it is repaired"
                                : "; no replica without errant transactions can become the master, so a failover would be refused"))));
    }

    /**
     * MHA's validate_current_master counts every server that others replicate from: besides the
     * master, none may be writable. With multiTierSlave a writable intermediate master is a second
     * master its subtree follows (t_4tier).
     */
    private static void writableIntermediateMasters(Topology topology, ServerState master, List<Finding> findings) {
        for (ServerState s : topology.servers()) {
            if (s == master || !s.alive() || !s.facts().map(f -> f.writable()).orElse(false) || topology.liveReplicasOf(s).isEmpty()) {
                continue;
            }
            findings.add(new Finding(HealthRule.SINGLE_MASTER, ERROR, s.label(), "is writable and "
                    + String.join(", ", topology.liveReplicasOf(s).stream().map(ServerState::label).toList())
                    + " replicate from it: a second writable master besides " + master.label() + " (set read_only on it)"));
        }
    }

    private static void promotable(Topology topology, List<ServerState> replicas, List<Finding> findings) {
        if (topology.master().server().isPresent() && !replicas.isEmpty()
                && replicas.stream().noneMatch(r -> !r.config().noMaster() && r.facts().orElseThrow().logBin())) {
            findings.add(new Finding(HealthRule.PROMOTABLE_REPLICA, ERROR, "cluster " + topology.config().cluster(),
                    "no replica can become the master (all are noMaster or have log_bin OFF)"));
        }
    }

    private interface Mismatch {
        void report(ServerState server, String mine, String usual);
    }

    /** Reports every server whose value differs from the most common one (ties: the first server's). */
    private static void differing(Collection<ServerState> servers, Function<ServerState, String> value, Mismatch mismatch) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        servers.forEach(s -> counts.merge(value.apply(s), 1, Integer::sum));
        if (counts.size() <= 1) {
            return;
        }
        String usual = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
        for (ServerState s : servers) {
            String mine = value.apply(s);
            if (!Objects.equals(mine, usual)) {
                mismatch.report(s, mine, usual);
            }
        }
    }
}
