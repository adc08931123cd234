package io.mhaserverless.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WorkflowStarter;
import io.mhaserverless.core.probe.ClusterWatch;
import io.mhaserverless.core.probe.ProbeLog;
import io.mhaserverless.core.probe.ProbeStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One invocation of the probe: every configured cluster watched at once, each on its own thread
 * ({@link ClusterWatch}: its lease, its master, its failover), until {@code until}; one slow or
 * broken cluster never delays another. Returns what it did, one entry per cluster.
 */
public final class ProbeInvocation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<List<String>> clusters;
    private final Function<String, ClusterConfig> configs;
    private final Function<ClusterConfig, NodeAgent> agents;
    private final StateStore store;
    private final WorkflowStarter starter;
    private final ProbeLog log;
    private final Clock clock;
    private final Duration leasePeriod;

    public ProbeInvocation(Supplier<List<String>> clusters, Function<String, ClusterConfig> configs,
                           Function<ClusterConfig, NodeAgent> agents, StateStore store, WorkflowStarter starter, ProbeLog log,
                           Clock clock, Duration leasePeriod) {
        this.clusters = clusters;
        this.configs = configs;
        this.agents = agents;
        this.store = store;
        this.starter = starter;
        this.log = log;
        this.clock = clock;
        this.leasePeriod = leasePeriod;
    }

    /** Watches every cluster until {@code until}; {@code owner} names this invocation in the leases. */
    public ObjectNode run(String owner, Instant until) {
        List<String> names = clusters.get();
        Map<String, Object> results = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (String cluster : names) {
            Thread t = new Thread(() -> results.put(cluster, watch(cluster, owner, until)), "probe-" + cluster);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                // Each watch ends at until, or within its pingInterval after it; a minute's slack is the bound.
                t.join(Math.max(1, Duration.between(clock.instant(), until).plusMinutes(1).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode watched = out.putArray("clusters");
        for (String cluster : names) {
            ObjectNode c = watched.addObject().put("cluster", cluster);
            Object r = results.get(cluster);
            if (r instanceof ClusterWatch.Result result) {
                ArrayNode started = c.putArray("started");
                result.started().forEach(s -> started.addObject().put("executionId", s.executionId())
                        .put("alreadyExisted", s.alreadyExisted()));
            } else {
                c.put("error", r == null ? "still watching when the invocation ended" : String.valueOf(r));
            }
        }
        return out;
    }

    private Object watch(String cluster, String owner, Instant until) {
        try {
            ClusterConfig first = configs.apply(cluster);
            // The first read serves the first master watched: one read (and one secret) per invocation
            // in the steady state; after a failover the watch reads the config anew.
            ClusterConfig[] unused = {first};
            Supplier<ClusterConfig> config = () -> {
                ClusterConfig c = unused[0] != null ? unused[0] : configs.apply(cluster);
                unused[0] = null;
                return c;
            };
            return new ClusterWatch(config, store, starter, agents.apply(first), log, clock, owner, Optional.of(leasePeriod))
                    .metrics(io.mhaserverless.core.metrics.Emf.stdout()) // CloudWatch reads the figures off the log stream
                    .watch(until);
        } catch (RuntimeException e) {
            // A cluster whose config cannot be read is logged and skipped; the others are watched.
            log.step(new ProbeStep(clock.instant(), cluster, null, "config", "unreadable", e.getMessage()));
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** The probe's log on Lambda: one JSON line per step on stdout, which CloudWatch Logs Insights reads field by field. */
    public static ProbeLog jsonLines() {
        return step -> System.out.println(step.toJson());
    }
}
