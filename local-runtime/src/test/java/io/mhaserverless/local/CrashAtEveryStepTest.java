package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.local.crash.ControllerKill;
import io.mhaserverless.local.crash.GuardedPorts;
import io.mhaserverless.local.crash.GuardedPorts.KillPoint;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The controller dies at every state boundary and at the first acts of every phase — also at the
 * catch-up of a lagging candidate from another replica, at the save and apply of the dead master's
 * binlog (one agent call), and at each act of the report step — in GTID and in file/position mode; then one ordinary
 * `mha failover` finishes the job. The death is in-process: {@link GuardedPorts} wrap the ports of
 * the first controller and throw {@link ControllerKill} at the chosen act and at every act after it;
 * the first controller's execution id names a process that has exited, so the second run sees a
 * dead controller, as after a SIGKILL.
 *
 * <p>The scenario: db1 master under writes, db2 (candidateMaster) stops receiving first, db3 later,
 * then db1 is SIGKILLed with a tail that only its binlog holds. So the failover catches db2 up from
 * db3 and applies the saved binlog to it.
 */
class CrashAtEveryStepTest {

    private static final LocalFailover FAILOVER = LocalFailover.bundled();
    /** The killed controller: its retries would only wait to be refused again (a dead process retries nothing). */
    private static final LocalFailover DYING;

    static {
        io.mhaserverless.local.statemachine.StateMachineDefinition definition =
                io.mhaserverless.local.statemachine.StateMachineDefinition.bundled(LocalFailover.SUBSTITUTIONS);
        DYING = new LocalFailover(definition, new io.mhaserverless.local.statemachine.AslInterpreter(definition,
                Clock.systemUTC(), d -> { }));
    }
    private static final Map<String, String> CANDIDATE = Map.of("db2", "candidateMaster: true");

    @TempDir
    Path work;

    /** A sandbox whose master died under writes, and the writes it acknowledged. */
    private record Crashed(Sandbox sandbox, Set<Long> acknowledged) implements AutoCloseable {
        @Override
        public void close() {
            sandbox.close();
        }
    }

    private static Crashed crashed(ReplicationMode mode) throws Exception {
        Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode));
        try {
            ServerNode master = sandbox.master();
            WriteLoad.createTable(master.host(), master.port());
            try (WriteLoad load = new WriteLoad(master.host(), master.port(), false)) {
                Thread.sleep(300);
                sandbox.node("db2").stopIoThread();
                Thread.sleep(300);
                sandbox.node("db3").stopIoThread();
                Thread.sleep(300);
                master.kill();
                load.close();
                return new Crashed(sandbox, new HashSet<>(load.acknowledged()));
            }
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    /** One controller's run over the given ports; what it published. */
    private record Run(LocalFailover.Result result, List<FailoverRun.Report> published, List<String> lines) {
        FailoverRun.Result asFailoverRun() {
            JsonNode output = result.execution().output();
            FailoverState state = output == null ? null : FailoverWorkflow.json().convertValue(output.get("state"), FailoverState.class);
            FailoverRun.Report last = published.isEmpty() ? new FailoverRun.Report("", "(no report: " + result.error() + ")", "{}")
                    : published.get(published.size() - 1);
            return new FailoverRun.Result(state, result.outcome(), last, lines);
        }
    }

    private static Run run(LocalCluster cluster, Path stateDir, GuardedPorts guard, String executionArn) {
        List<FailoverRun.Report> published = new ArrayList<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Progress print = (phase, message) -> {
            lines.add("[" + phase + "] " + message);
            System.out.println("[" + phase + "] " + message);
        };
        io.mhaserverless.core.port.Notifier notifier = (subject, text, json) -> published.add(new FailoverRun.Report(subject, text, json));
        StateStore store = new FileStateStore(stateDir, Clock.systemUTC());
        NodeAgent agent = new LocalNodeAgent(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD, cluster.workDir,
                Duration.ofSeconds(60));
        WriterIp writer = WriterIp.NONE;
        Progress phases = print;
        if (guard != null) {
            store = guard.stateStore(store);
            agent = guard.nodeAgent(agent);
            writer = guard.writerIp(writer);
            notifier = guard.notifier(notifier);
            phases = guard.progress(print);
        }
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime("test", () -> cluster.config, writer, agent, store, notifier, phases,
                Clock.systemUTC(), Duration.ofSeconds(30));
        LocalFailover.Result r = (guard != null && guard.killing() ? DYING : FAILOVER).run(LocalFailover.input("test", null, null, false, true), runtime, print, executionArn);
        return new Run(r, published, lines);
    }

    /** The execution id of a controller that has exited: the next run must see it dead. */
    private static String deadControllersArn() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return new LocalExecutionId(LocalExecutionId.thisHost(), gone.pid(), UUID.randomUUID().toString()).arn();
    }

    /**
     * Where to kill, from the acts of an uninterrupted run: each state's lock re-take (before its
     * first change) and its first progress line, each saved state (its changes done, not yet
     * recorded), every act of the node agent and the writer address, every act of the report step.
     */
    static List<KillPoint> killPoints(List<String> acts) {
        Set<KillPoint> points = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String act : acts) {
            int occurrence = seen.merge(act, 1, Integer::sum);
            boolean firstOfItsName = occurrence == 1;
            boolean wanted = act.startsWith("store.saveProgress") || act.startsWith("agent.") || act.startsWith("writer.")
                    || act.equals("store.record") || act.equals("store.unlock") || act.equals("notifier.publish")
                    || act.equals("store.clearProgress")
                    || (firstOfItsName && (act.startsWith("store.lock") || act.startsWith("progress[")));
            if (wanted) {
                points.add(new KillPoint(act, occurrence));
            }
        }
        return List.copyOf(points);
    }

    @TestFactory
    Stream<DynamicNode> aKilledControllersFailoverIsFinishedByTheNextRun() throws Exception {
        List<DynamicNode> modes = new ArrayList<>();
        for (ReplicationMode mode : ReplicationMode.values()) {
            List<String> acts;
            try (Crashed c = crashed(mode)) {
                LocalCluster cluster = new LocalCluster(c.sandbox(), Files.createDirectories(work.resolve(mode + "-count")), CANDIDATE);
                GuardedPorts counting = new GuardedPorts(null);
                Run whole = run(cluster, cluster.workDir.resolve("state"), counting, deadControllersArn());
                assertThat(whole.result().outcome()).as(whole.asFailoverRun().report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
                acts = counting.acts();
                System.out.println(mode + ": the acts of an uninterrupted failover: " + acts);
            }
            List<KillPoint> points = killPoints(acts);
            modes.add(org.junit.jupiter.api.DynamicContainer.dynamicContainer(mode.toString(), points.stream().map(p ->
                    DynamicTest.dynamicTest("killed at " + p, () -> killThenResume(mode, p)))));
        }
        return modes.stream();
    }

    private void killThenResume(ReplicationMode mode, KillPoint point) throws Exception {
        try (Crashed c = crashed(mode)) {
            Path dir = Files.createDirectories(work.resolve(mode + "-" + point.toString().replaceAll("[^A-Za-z0-9#]+", "_")));
            LocalCluster cluster = new LocalCluster(c.sandbox(), dir, CANDIDATE);
            Path stateDir = dir.resolve("state");
            FileStateStore store = new FileStateStore(stateDir, Clock.systemUTC());

            GuardedPorts guard = new GuardedPorts(point);
            Run killed = run(cluster, stateDir, guard, deadControllersArn());
            assertThat(guard.killed()).as("the run reached " + point + "; it ended " + killed.result().error()).isTrue();
            String recordedNewMaster = store.progress("test").map(p -> newMasterOf(p.document())).orElse(null);
            String recordedState = store.progress("test").map(StateStore.Progress::completedState).orElse(null);

            Run resumed = run(cluster, stateDir, null, LocalExecutionId.ofThisProcess().arn());

            assertFinished(c, cluster, store, resumed, recordedNewMaster);
            if (recordedState != null && !point.act().equals("store.clearProgress")) {
                String report = resumed.asFailoverRun().report().text();
                assertThat(report).as("the report says the failover was resumed, and where").contains("Resumed: failover ")
                        .contains(" was resumed at ");
                assertThat(report).contains("had no writable master for");
            }
        }
    }

    private static String newMasterOf(String document) {
        try {
            return FailoverWorkflow.json().readTree(document).path("state").path("newMaster").asText(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertFinished(Crashed c, LocalCluster cluster, FileStateStore store, Run resumed, String recordedNewMaster)
            throws Exception {
        FailoverRun.Result result = resumed.asFailoverRun();
        String text = result.report().text() + "\n" + String.join("\n", resumed.lines());
        assertThat(result.outcome()).as(text).isEqualTo(FailoverOutcome.SUCCEEDED);
        String newMaster = result.state().newMaster();
        if (recordedNewMaster != null) {
            assertThat(newMaster).as("the new master recorded before the kill stands").isEqualTo(recordedNewMaster);
        }
        List<String> writable = c.sandbox().nodes().stream().filter(n -> n != c.sandbox().master())
                .filter(n -> n.queryString("SELECT @@read_only").orElse("").equals("0")).map(ServerNode::name).toList();
        assertThat(writable).as("the writable servers").containsExactly(newMaster);
        assertThat(store.lockOwner("test")).as("the lock is released").isEmpty();
        assertThat(store.progress("test")).as("no progress is left").isEmpty();
        assertThat(store.history("test", 10)).as("the failover is in the history").anyMatch(h -> newMaster.equals(h.newMaster()));
        assertThat(store.lastFailover("test")).get().extracting(StateStore.LastFailover::status)
                .isEqualTo(StateStore.LastFailover.Status.COMPLETED);
        assertThat(resumed.published()).as("a report was sent").isNotEmpty();
        cluster.assertRecovered(result, WriteLoad.TABLE, c.acknowledged());
    }

    /**
     * The controller dies while the node agent saves the dead master's binlog and applies it to the
     * new master (one save-binlog --apply-to): the agent process is killed with it, 150 ms into the
     * apply. The rerun applies it again, leaving out
     * what was applied by GTID.
     */
    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aKillInTheMiddleOfApplyingTheSavedBinlogIsFinished(ReplicationMode mode) throws Exception {
        try (Crashed c = crashed(mode)) {
            Path dir = Files.createDirectories(work.resolve(mode + "-mid-apply"));
            LocalCluster cluster = new LocalCluster(c.sandbox(), dir, CANDIDATE);
            Path stateDir = dir.resolve("state");
            FileStateStore store = new FileStateStore(stateDir, Clock.systemUTC());
            GuardedPorts guard = new GuardedPorts(null);
            guard.killDuring(act -> act.equals("agent.saveAndApply(->db2)"),
                    Duration.ofMillis(150)); // counted from the start of the apply (GuardedPorts waits for it)

            Run killed = run(cluster, stateDir, guard, deadControllersArn());
            assertThat(guard.killed()).as("the saved binlog was being applied when the controller died; it ended "
                    + killed.result().error()).isTrue();
            String recordedNewMaster = store.progress("test").map(p -> newMasterOf(p.document())).orElse(null);
            assertThat(recordedNewMaster).isEqualTo("db2");

            Run resumed = run(cluster, stateDir, null, LocalExecutionId.ofThisProcess().arn());

            assertFinished(c, cluster, store, resumed, recordedNewMaster);
            String report = resumed.asFailoverRun().report().text();
            assertThat(report).contains("Resumed: failover ").contains(" was resumed at RecoverNewMaster").contains("had no writable master for");
            assertThat(FailoverWorkflow.json().readTree(resumed.asFailoverRun().report().json()).path("noWritableMasterMillis").asLong())
                    .isPositive();
            // the killed agent's option file (the password) is gone: the next agent run swept it
            try (var shm = Files.list(io.mhaserverless.node.protocol.OwnedTempFiles.secretDirectory())) {
                assertThat(shm.filter(f -> f.getFileName().toString().startsWith("mha-client-cnf."))
                        .filter(f -> guard.killedAgents().contains(io.mhaserverless.node.protocol.OwnedTempFiles.owner(f))))
                        .as("option files of the killed agents").isEmpty();
            }
        }
    }
}
