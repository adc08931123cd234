package io.mhaserverless.core.probe;

import static io.mhaserverless.core.probe.Watching.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.local.adapter.LocalWriterEndpoint;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * False positives are the worst failure of an HA tool: each case runs the prober as
 * {@code mha manager} does against a real sandbox, inflicts a fault, and asserts whether a failover
 * happened. Cases 1 to 5 must not fail over; 6 to 8 must, exactly once. Detection times are
 * printed, not asserted (the bench measures them).
 */
class FalsePositiveTest {

    private static final String FAST = "pingInterval: 500ms\npingFailures: 3\n";

    @Test
    @MariaDbTopology(replicas = 2)
    void case1_aMasterStalledForLessThanTheGraceWindowIsKept(Sandbox sandbox) throws Exception {
        // Stalled long enough that the replicas lose it too (slave_net_timeout 5 s): only the grace window keeps it.
        // A grace far longer than the stall: the window must outlast the resume on a loaded machine; it costs nothing here.
        try (Watching w = new Watching(sandbox, FAST + "deadMasterGrace: 20s\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            sandbox.master().pause();
            try {
                assertThat(w.await(step("grace", "waiting"), Duration.ofSeconds(20))).as("the replicas confirmed the stall").isPresent();
            } finally {
                sandbox.master().resume();
            }
            assertThat(w.await(step("grace", "cancelled"), Duration.ofSeconds(10))).isPresent();
            Thread.sleep(2000);
            assertThat(w.started).isEmpty();
            assertThat(w.count("verdict", "dead")).isZero();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void case2_aMasterOutOfConnectionsIsAlive(Sandbox sandbox) throws Exception {
        List<Connection> hogs = new ArrayList<>();
        try (Watching w = new Watching(sandbox, FAST + "pingType: connect\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            sandbox.master().execute("SET GLOBAL max_connections = 5");
            try {
                while (hogs.size() < 50) {
                    hogs.add(sandbox.master().connect());
                }
            } catch (SQLException full) {
                assertThat(full.getErrorCode()).as(full.getMessage()).isEqualTo(1040);
            }
            assertThat(w.await(s -> s.step().equals("ping") && s.verdict().equals("refused") && s.detail().contains("too many connections"),
                    Duration.ofSeconds(10))).isPresent();
            Thread.sleep(3000); // six more pings, each refused
            assertThat(w.started).isEmpty();
            assertThat(w.count("ping", "failed")).isZero();
        } finally {
            for (Connection c : hogs) {
                c.close();
            }
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void case3_aChangedAdminPasswordIsAnAlarmNotAFailover(Sandbox sandbox) throws Exception {
        try (Watching w = new Watching(sandbox, FAST + "pingType: connect\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            // On the master only (not replicated), as an operator's mistake there would be.
            sandbox.master().execute("SET SESSION sql_log_bin = 0",
                    "ALTER USER 'admin'@'%' IDENTIFIED BY 'rotated-elsewhere'");
            assertThat(w.await(s -> s.step().equals("ping") && s.verdict().equals("refused") && s.detail().contains("access denied"),
                    Duration.ofSeconds(10))).as("a refused ping names the error: the alarm an operator sees").isPresent();
            Thread.sleep(3000);
            assertThat(w.started).isEmpty();
            assertThat(w.count("ping", "failed")).isZero();
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void case4_aCutProbePathWhileTheReplicasReplicateIsNoDeath(Sandbox sandbox) throws Exception {
        // The probe reaches db1 only through a forwarder; the replicas replicate from db1 directly.
        ServerNode db1 = sandbox.master();
        LocalWriterEndpoint probePath = new LocalWriterEndpoint(0);
        probePath.assign(new io.mhaserverless.core.config.ServerConfig("db1", db1.host(), db1.port(), false, false, false,
                java.util.Optional.empty(), java.util.Optional.empty()));
        try (Watching w = new Watching(sandbox, "probe-A", FAST, Map.of("db1", "host: 127.0.0.1, port: " + probePath.port()),
                s -> s).start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            Thread.sleep(1000); // a ping or two through the path: the probe learns db1's server_id
            probePath.close();
            assertThat(w.await(step("replicas", "veto"), Duration.ofSeconds(10))).as("the replicas still see db1").isPresent();
            Thread.sleep(2000);
            assertThat(w.started).isEmpty();
            assertThat(w.count("verdict", "dead")).isZero();
            assertThat(w.count("ping", "failed")).isPositive();
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void case5_aMasterRestartedWithinTheGraceWindowIsKept(Sandbox sandbox) throws Exception {
        // A grace that outlasts a slow mariadbd start (crash recovery on a loaded machine); it costs nothing here.
        try (Watching w = new Watching(sandbox, FAST + "deadMasterGrace: 30s\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            sandbox.master().stop();
            assertThat(w.await(step("grace", "waiting"), Duration.ofSeconds(20))).isPresent();
            sandbox.master().start();
            assertThat(w.await(step("grace", "cancelled"), Duration.ofSeconds(40))).isPresent();
            Thread.sleep(2000);
            assertThat(w.started).isEmpty();
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void case6_aKilledMasterIsFailedOverOnceAndTheNewMasterIsWatched(Sandbox sandbox) throws Exception {
        try (Watching w = new Watching(sandbox, "pingInterval: 1s\npingFailures: 3\nsecondaryCheck: true\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            long killedAt = System.currentTimeMillis();
            sandbox.master().kill();
            ProbeStep dead = w.await(step("verdict", "dead"), Duration.ofSeconds(30)).orElseThrow();
            System.out.println("case 6: dead " + (dead.at().toEpochMilli() - killedAt) + " ms after SIGKILL (pingInterval 1 s x 3)");
            assertThat(w.steps).anyMatch(step("secondary-check", "confirmed"));
            assertThat(w.await(s -> s.step().equals("discover") && s.verdict().equals("master") && !"db1".equals(s.master()),
                    Duration.ofSeconds(60))).as("still watching: the new master").isPresent();
            Thread.sleep(3000);
            assertThat(w.failovers).hasSize(1);
            assertThat(w.failovers.get(0).outcome()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(w.started).hasSize(1);
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void case7_aMasterHungForGoodIsFailedOverOnce(Sandbox sandbox) throws Exception {
        try (Watching w = new Watching(sandbox, "pingInterval: 1s\npingFailures: 3\n").start()) {
            assertThat(w.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            long stoppedAt = System.currentTimeMillis();
            sandbox.master().pause();
            ProbeStep dead = w.await(step("verdict", "dead"), Duration.ofSeconds(40)).orElseThrow();
            System.out.println("case 7: dead " + (dead.at().toEpochMilli() - stoppedAt) + " ms after SIGSTOP (pingInterval 1 s x 3,"
                    + " slave_net_timeout 5 s)");
            assertThat(w.await(s -> s.step().equals("discover") && s.verdict().equals("master") && !"db1".equals(s.master()),
                    Duration.ofSeconds(90))).isPresent();
            assertThat(w.failovers).hasSize(1);
            assertThat(w.failovers.get(0).outcome()).isIn(FailoverOutcome.SUCCEEDED, FailoverOutcome.PARTIAL);
            assertThat(w.started).hasSize(1);
        } finally {
            sandbox.master().kill(); // never let a fenced-off master wake up writable
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void case8_aCrashedProbersSuccessorTakesTheLeaseAndDetectsTheNextDeath(Sandbox sandbox) throws Exception {
        AtomicBoolean crashed = new AtomicBoolean();
        Watching first = new Watching(sandbox, "probe-A", FAST, Map.of(), store -> crashing(store, crashed)).start();
        Watching second = new Watching(sandbox, "probe-B", FAST, Map.of(), s -> s);
        try {
            assertThat(first.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            crashed.set(true); // from now on the first prober reaches nothing: its lease is never released
            first.stop();
            long crashedAt = System.currentTimeMillis();
            second.start();
            assertThat(second.await(step("lease", "standby"), Duration.ofSeconds(10))).isPresent();
            ProbeStep took = second.await(step("lease", "held"), Duration.ofSeconds(20)).orElseThrow();
            System.out.println("case 8: the successor took the lease " + (took.at().toEpochMilli() - crashedAt) + " ms after the crash"
                    + " (lease period " + ClusterWatch.leasePeriod(second.config).toMillis() + " ms)");
            assertThat(second.await(step("discover", "master"), Duration.ofSeconds(20))).isPresent();
            sandbox.master().kill();
            assertThat(second.await(step("start", "started"), Duration.ofSeconds(30))).isPresent();
            assertThat(second.await(s -> s.step().equals("discover") && !"db1".equals(s.master()) && s.verdict().equals("master"),
                    Duration.ofSeconds(60))).isPresent();
            assertThat(second.failovers).hasSize(1);
            assertThat(first.started).isEmpty();
        } finally {
            second.stop();
            first.stop();
        }
    }

    /** The store as a crashed process sees it: once {@code crashed}, every call fails (nothing is released). */
    private static StateStore crashing(StateStore store, AtomicBoolean crashed) {
        return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> {
                    if (crashed.get()) {
                        throw new IllegalStateException("crashed");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
