package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.ProbeSighting;
import io.mhaserverless.core.port.StateStore.ProbeStatus;
import io.mhaserverless.core.port.WorkflowStarter;
import io.mhaserverless.core.topology.DiscoveryException;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import io.mhaserverless.core.topology.TopologyDiscovery;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Watches one cluster, the way MHA's masterha_manager does but without stopping after a failover:
 * holds the cluster's probe lease (one prober per cluster), finds the master, pings it with
 * {@link MasterProbe}, starts the failover workflow once per death, waits for it to finish, and
 * watches the new master. The same code runs as {@code mha manager} (until stopped) and in the
 * probe function (for about a minute per invocation, handing the lease to the next one).
 */
public final class ClusterWatch {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A master is rediscovered this often even while it answers: an operator may have moved it by
     * hand, and `mha manager` runs for months. (A probe invocation rediscovers at its start anyway.)
     */
    static final Duration REDISCOVER_EVERY = Duration.ofMinutes(1);

    /** What one watch did: the executions it started (or found started), in order. */
    public record Result(List<WorkflowStarter.Started> started) {
    }

    private final Supplier<ClusterConfig> configs;
    private final StateStore store;
    private final WorkflowStarter starter;
    private final NodeAgent agent;
    private final ProbeLog log;
    private final Clock clock;
    private final String owner;
    private final Optional<Duration> leasePeriod;
    private final List<String> startedNames = new ArrayList<>();
    private io.mhaserverless.core.metrics.MetricsSink metrics = io.mhaserverless.core.metrics.MetricsSink.NONE;
    private io.mhaserverless.core.metrics.ProbeFigures figures;

    /**
     * @param configs the cluster's config, read anew before each master is watched (an operator's
     *                edit takes effect at the next discovery, never mid-detection)
     * @param owner   this prober's name in the lease: host, process, invocation
     */
    public ClusterWatch(Supplier<ClusterConfig> configs, StateStore store, WorkflowStarter starter, NodeAgent agent, ProbeLog log,
                        Clock clock, String owner) {
        this(configs, store, starter, agent, log, clock, owner, Optional.empty());
    }

    /**
     * @param leasePeriod how long a lease outlives its last renewal (default {@link #leasePeriod(ClusterConfig)});
     *                    the probe function takes a longer one, since every renewal is a paid write
     */
    public ClusterWatch(Supplier<ClusterConfig> configs, StateStore store, WorkflowStarter starter, NodeAgent agent, ProbeLog log,
                        Clock clock, String owner, Optional<Duration> leasePeriod) {
        this.leasePeriod = leasePeriod;
        this.configs = configs;
        this.store = store;
        this.starter = starter;
        this.agent = agent;
        this.log = log;
        this.clock = clock;
        this.owner = owner;
    }

    /** Sends the probe's figures (heartbeat, ping latency and failures, detections) to {@code sink}. */
    public ClusterWatch metrics(io.mhaserverless.core.metrics.MetricsSink sink) {
        this.metrics = sink;
        return this;
    }

    /** How long a lease outlives its last renewal: a crashed prober's successor waits at most this. */
    public static Duration leasePeriod(ClusterConfig config) {
        Duration three = config.pingInterval().multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(5)) > 0 ? three : Duration.ofSeconds(5);
    }

    /** Watches until {@code until}; the lease is released at the end, so a successor takes over at once. */
    public Result watch(Instant until) {
        starter.prepare();
        List<WorkflowStarter.Started> started = new ArrayList<>();
        ClusterConfig config = configs.get();
        ProbeLease lease = newLease(config);
        boolean first = true;
        figures = new io.mhaserverless.core.metrics.ProbeFigures(config.cluster(), metrics, clock.instant());
        try {
            while (clock.instant().isBefore(until) && !Thread.currentThread().isInterrupted()) {
                try {
                    if (!first) {
                        config = configs.get(); // an operator's edit applies from the next master watched
                        lease = lease.with(config, period(config));
                    }
                    first = false;
                    if (!watchOnce(config, lease, until, started)) {
                        break;
                    }
                } catch (MasterProbe.ProbeInterrupted e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        break; // interrupted mid-call (a file channel, a socket): a stop, not a failure
                    }
                    // The state store, the config or discovery failed: a watcher must outlive a hiccup.
                    step(config, lease.seen().master(), "error", "retrying", e.getClass().getSimpleName() + ": " + e.getMessage());
                    sleepQuietly(config.pingInterval());
                }
            }
        } finally {
            figures.send(clock.instant()); // the heartbeat of this watch's last stretch
            // A stopping thread is interrupted, and an interrupted thread cannot use a file channel: clear, release, restore.
            boolean interrupted = Thread.interrupted();
            try {
                lease.release();
            } catch (RuntimeException e) {
                step(config, lease.seen().master(), "lease", "not-released", e.getMessage() + "; it expires by itself");
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return new Result(started);
    }

    /** One master watched until its death was handled, or until the lease or the time ran out; false to stop. */
    private boolean watchOnce(ClusterConfig config, ProbeLease lease, Instant until, List<WorkflowStarter.Started> started) {
        if (!lease.awaitHeld(until)) {
            return false;
        }
        if (followRunningFailover(config, lease, until)) {
            return true;
        }
        Optional<ServerState> master = findMaster(config, lease);
        if (master.isEmpty()) {
            pause(config, lease);
            return true;
        }
        ServerConfig m = master.get().config();
        List<ServerConfig> replicas = config.servers().stream().filter(s -> !s.name().equals(m.name())).toList();
        Instant[] aliveSince = {aliveSince(config.cluster(), m.name(), master.get().alive())};
        lease.seen(new ProbeSighting(m.name(), "alive", aliveSince[0], null, 0, "watching " + m.label()));
        lease.renew(); // news: mha status shows the master at once
        Instant rediscoverAt = clock.instant().plus(REDISCOVER_EVERY);
        Instant[] lookAgainAt = {clock.instant().plus(period(config).dividedBy(3))};
        Optional<String> lastRecorded = newestRecord(config.cluster());
        Optional<MasterProbe.Detection> death = new MasterProbe(config, clock, agent, log).awaitDeath(m, replicas, s -> {
            if (s.state().equals("alive") && aliveSince[0].equals(Instant.EPOCH)) {
                aliveSince[0] = s.at(); // back from a death: its next death is a new one
            }
            lease.seen(new ProbeSighting(m.name(), s.state(), aliveSince[0], s.at(), s.pingMillis(), s.detail()));
            figures.ping(s.at(), s.state().equals("alive"), s.pingMillis());
            if (!clock.instant().isBefore(lookAgainAt[0])) {
                lookAgainAt[0] = clock.instant().plus(period(config).dividedBy(3));
                // A switchover (or an operator's failover) moves the master: one running is followed, one
                // done since this master was found means it may be master no more. Rediscover either way.
                if (store.progress(config.cluster()).isPresent() || !newestRecord(config.cluster()).equals(lastRecorded)) {
                    return false;
                }
            }
            return clock.instant().isBefore(until) && clock.instant().isBefore(rediscoverAt) && lease.renew();
        });
        if (death.isPresent()) {
            figures.detection(Instant.ofEpochMilli(death.get().detectedAtMillis()));
            // A master that hung right after discovery never answered a ping: discovery's reading is its last answer.
            String lastSeen = Optional.ofNullable(death.get().lastSeenBinlog())
                    .or(() -> master.get().binlog().map(b -> b.current().toString())).orElse(null);
            start(config, m, aliveSince[0], death.get(), lastSeen, lease).ifPresent(started::add);
        }
        return true;
    }

    private Optional<String> newestRecord(String cluster) {
        return store.history(cluster, 1).stream().findFirst().map(StateStore.FailoverRecord::executionId);
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A failover of this cluster still runs (its progress is saved): wait for it rather than start another. */
    private boolean followRunningFailover(ClusterConfig config, ProbeLease lease, Instant until) {
        Optional<StateStore.Progress> running = store.progress(config.cluster());
        if (running.isEmpty()) {
            return false;
        }
        lease.seen(new ProbeSighting(lease.seen().master(), "failing-over", lease.seen().aliveSince(), lease.seen().lastPingAt(),
                lease.seen().lastPingMillis(), "failover " + running.get().executionId() + " at " + running.get().completedState()));
        Optional<WorkflowStarter.Started> finished = starter.finishAbandoned(running.get());
        if (finished.isPresent()) {
            step(config, lease.seen().master(), "follow", "finished", "failover " + running.get().executionId()
                    + " had no controller left after " + running.get().completedState() + "; finished it as " + finished.get().executionId());
            return true;
        }
        step(config, lease.seen().master(), "follow", "failing-over",
                "failover " + running.get().executionId() + " has finished " + running.get().completedState() + "; waiting for it");
        pause(config, lease);
        return true;
    }

    /**
     * The master as discovery names it; when a returned old master makes that ambiguous, the new
     * master of the last failover, if it is one of the candidates. Nothing is watched otherwise:
     * guessing would fail over the wrong server.
     */
    private Optional<ServerState> findMaster(ClusterConfig config, ProbeLease lease) {
        Topology topology;
        try {
            topology = new TopologyDiscovery(Connector.forCluster(config)).discover(config);
        } catch (DiscoveryException e) {
            step(config, null, "discover", "no-master", e.getMessage());
            lease.seen(new ProbeSighting(null, "no-master", null, null, 0, e.getMessage()));
            return Optional.empty();
        }
        if (topology.master().server().isPresent()) {
            ServerState m = topology.master().server().get();
            if (!m.name().equals(lease.seen().master())) {
                step(config, m.name(), "discover", m.alive() ? "master" : "dead-master", m.label()
                        + (m.alive() ? "" : " is named master by its replicas and does not answer"));
            }
            return Optional.of(m);
        }
        String problem = topology.master().problem().orElse("no master");
        Optional<ServerState> lastNew = store.history(config.cluster(), 1).stream().findFirst()
                .flatMap(r -> Optional.ofNullable(r.newMaster())).flatMap(topology::server)
                .filter(s -> s.alive() && !s.isReplica());
        if (lastNew.isPresent()) {
            step(config, lastNew.get().name(), "discover", "master", problem + "; watching " + lastNew.get().label()
                    + ", the new master of the last failover");
            return lastNew;
        }
        step(config, null, "discover", "no-master", problem);
        lease.seen(new ProbeSighting(null, "no-master", null, null, 0, problem));
        return Optional.empty();
    }

    /**
     * Since when this master has been alive, as the lease's record says, so that a successor names
     * a death exactly as its predecessor would have. A master seen for the first time, or alive
     * again after a death was declared, is alive from now; one never seen alive, from the epoch
     * (the first answer moves it to that moment).
     */
    private Instant aliveSince(String cluster, String master, boolean alive) {
        Optional<ProbeSighting> before = store.probeStatus(cluster).map(ProbeStatus::seen);
        if (before.isPresent() && master.equals(before.get().master()) && before.get().aliveSince() != null) {
            boolean declaredDead = List.of("dead", "failing-over", "failed-over").contains(before.get().state());
            if (!(declaredDead && alive)) {
                return before.get().aliveSince();
            }
        }
        return alive ? clock.instant() : Instant.EPOCH;
    }

    private Optional<WorkflowStarter.Started> start(ClusterConfig config, ServerConfig master, Instant aliveSince,
                                                    MasterProbe.Detection death, String lastSeenBinlog, ProbeLease lease) {
        String name = ExecutionName.of(config.cluster(), master.name(), aliveSince);
        if (startedNames.contains(name)) {
            // Started by this watch already and over (refused, say), yet the master is still dead:
            // an operator must act; starting it again would only repeat the refusal.
            step(config, master.name(), "start", "done-before", name + " ran already; waiting for the master or an operator");
            pauseLong(config, lease);
            return Optional.empty();
        }
        ObjectNode input = JSON.createObjectNode();
        input.put("cluster", config.cluster());
        input.put("mode", "failover");
        input.put("deadMaster", master.name());
        if (lastSeenBinlog != null) {
            input.put("lastSeenMasterBinlog", lastSeenBinlog);
        }
        lease.seen(new ProbeSighting(master.name(), "dead", aliveSince, lease.seen().lastPingAt(), lease.seen().lastPingMillis(),
                "starting " + name + ": " + death.confirmation()));
        lease.renew();
        step(config, master.name(), "start", "starting", name);
        try {
            WorkflowStarter.Started started = starter.start(name, input.toString());
            startedNames.add(name);
            step(config, master.name(), "start", started.alreadyExisted() ? "started-before" : "started",
                    name + " (" + started.executionId() + ")" + (started.finished() ? ", finished" : ""));
            lease.seen(new ProbeSighting(master.name(), started.finished() ? "failed-over" : "failing-over", aliveSince,
                    lease.seen().lastPingAt(), lease.seen().lastPingMillis(), "execution " + started.executionId()));
            lease.renew();
            return Optional.of(started);
        } catch (WorkflowStarter.StartFailed e) {
            step(config, master.name(), "start", "failed", name + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private ProbeLease newLease(ClusterConfig config) {
        return new ProbeLease(store, config, owner, period(config), clock, log);
    }

    private Duration period(ClusterConfig config) {
        return leasePeriod.orElseGet(() -> leasePeriod(config));
    }

    private void pause(ClusterConfig config, ProbeLease lease) {
        sleep(config.pingInterval());
        lease.renew();
    }

    private void pauseLong(ClusterConfig config, ProbeLease lease) {
        Duration wait = config.pingInterval().multipliedBy(config.pingFailures());
        for (Instant end = clock.instant().plus(wait); clock.instant().isBefore(end); ) {
            sleep(config.pingInterval());
            lease.renew();
        }
    }

    private void sleep(Duration d) {
        ProbeLease.sleep(d);
    }

    private void step(ClusterConfig config, String master, String step, String verdict, String detail) {
        log.step(new ProbeStep(clock.instant(), config.cluster(), master, step, verdict, detail));
    }
}
