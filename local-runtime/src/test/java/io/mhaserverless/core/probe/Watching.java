package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WorkflowStarter;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.LocalWorkflowStarter;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A prober watching a sandbox as {@code mha manager} does: {@link ClusterWatch} on its own thread,
 * the local starter (asl.json in this process), the file state store. Records every probe step
 * and every failover it ran, for tests to assert on.
 */
final class Watching implements AutoCloseable {

    final Sandbox sandbox;
    final ClusterConfig config;
    final FileStateStore store;
    final List<ProbeStep> steps = new CopyOnWriteArrayList<>();
    final List<LocalFailover.Result> failovers = new CopyOnWriteArrayList<>();
    final List<WorkflowStarter.Started> started = new CopyOnWriteArrayList<>();
    private final String owner;
    private final UnaryOperator<StateStore> storeView;
    private Thread thread;

    /**
     * @param extraTopLevel config lines (pingInterval, deadMasterGrace, ...)
     * @param addresses     per server, another "host: .., port: .." than the sandbox's (a probe-only path)
     */
    Watching(Sandbox sandbox, String owner, String extraTopLevel, Map<String, String> addresses, UnaryOperator<StateStore> storeView) {
        this.sandbox = sandbox;
        this.owner = owner;
        this.storeView = storeView;
        String servers = sandbox.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", " + addresses.getOrDefault(n.name(), "host: " + n.host() + ", port: " + n.port()) + "}")
                .collect(Collectors.joining("\n"));
        this.config = ConfigLoader.parseYaml("cluster: test\nuser: admin\npassword: admin\nreplicationUser: repl\n"
                + "replicationPassword: repl\nconnectTimeout: 1s\nlastFailoverMinutes: 0\n" + extraTopLevel + "servers:\n" + servers + "\n",
                "test.yaml");
        this.store = new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC());
    }

    Watching(Sandbox sandbox, String extraTopLevel) {
        this(sandbox, "probe-A", extraTopLevel, Map.of(), s -> s);
    }

    Watching start() {
        return start(Instant.MAX);
    }

    /** Watches until {@code until}, as one probe invocation does. */
    Watching start(Instant until) {
        Progress progress = (phase, message) -> System.out.println("[" + owner + " " + phase + "] " + message);
        LocalNodeAgent agent = new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
                sandbox.directory().resolve("node-agent-" + owner), Duration.ofSeconds(120));
        StateStore seen = storeView.apply(store);
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(config.cluster(), () -> config, WriterIp.NONE, agent, seen,
                new ConsoleNotifier(new PrintWriter(System.out, true), Optional.empty()), progress, Clock.systemUTC(), Duration.ofSeconds(30));
        LocalWorkflowStarter starter = new LocalWorkflowStarter(LocalFailover.bundled(), runtime, progress, failovers::add);
        WorkflowStarter recording = new WorkflowStarter() {
            @Override
            public Started start(String name, String inputJson) {
                Started s = starter.start(name, inputJson);
                started.add(s);
                return s;
            }

            @Override
            public Optional<Started> finishAbandoned(StateStore.Progress p) {
                return starter.finishAbandoned(p);
            }
        };
        ProbeLog log = step -> {
            steps.add(step);
            System.out.println("[" + owner + "] " + step.toText());
        };
        ClusterWatch watch = new ClusterWatch(() -> config, seen, recording, agent, log, Clock.systemUTC(), owner);
        thread = new Thread(() -> watch.watch(until), "watch-" + owner);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Waits (bounded) for a step matching {@code what}; the step, or empty at the timeout. */
    Optional<ProbeStep> await(Predicate<ProbeStep> what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<ProbeStep> s = steps.stream().filter(what).findFirst();
            if (s.isPresent()) {
                return s;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    static Predicate<ProbeStep> step(String step, String verdict) {
        return s -> s.step().equals(step) && s.verdict().equals(verdict);
    }

    long count(String step, String verdict) {
        return steps.stream().filter(step(step, verdict)).count();
    }

    /** Waits (bounded) for the watch to end by itself, at its {@code until}. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    /** Ends the watch as SIGTERM ends {@code mha manager}: the thread is interrupted and lets its lease go. */
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    Path stateDir() {
        return sandbox.directory().resolve("state");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
