package io.mhaserverless.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.switchover.SwitchoverState;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.local.adapter.LocalWriterEndpoint;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.MariaDbInstallation;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The switchover benchmark: one sandbox under a steady write load through the writer endpoint,
 * switched back and forth through the one path; never asserted in tests.
 */
@Command(name = "switchover",
        mixinStandardHelpOptions = true,
        description = {"One GTID sandbox, two application loads through the local writer endpoint (autocommit, and",
                "five-row transactions) as an account read_only holds back; N switchovers back and forth between db1 and",
                "db2 (the old master follows the new one). Prints per run and as median / min / max: the write block",
                "(read_only ON on the old master -> read_only OFF on the new, measured by SwitchMaster), the write-unavailable",
                "window the application saw (the longest gap between acknowledged commits across the switch, including its",
                "100 ms reconnect pause), the time until every replica and the old master were repointed, acknowledged",
                "writes lost, and writes the old master acknowledged that started after the block began."})
public final class SwitchoverBench implements Callable<Integer> {

    private static final String APP = "app";

    @Option(names = "--runs", defaultValue = "10", description = "number of switchovers (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--replicas", defaultValue = "2", description = "replicas in the sandbox (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--pause-ms", defaultValue = "1000", description = "writes between switchovers (default: ${DEFAULT-VALUE})")
    long pauseMillis;

    @Option(names = "--running-updates-limit", defaultValue = "1", description = "runningUpdatesLimit (default: ${DEFAULT-VALUE})")
    long limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One run's numbers. */
    private record Run(long writeBlock, long unavailable, long repointed, long lost, long lateOnOldMaster) {
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || replicas < 1 || replicas > SandboxSpec.MAX_REPLICAS || pauseMillis < 0 || limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs ≥ 1, --replicas 1.." + SandboxSpec.MAX_REPLICAS + ", --pause-ms ≥ 0, --running-updates-limit ≥ 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("machine: %d cores, %d MiB max heap, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name") + " " + System.getProperty("os.version"),
                MariaDbInstallation.locate().version());
        out.printf("inputs: %d switchovers db1 <-> db2, 1 master + %d replicas, GTID, runningUpdatesLimit %d s, %d ms of writes"
                + " between switchovers, loads: autocommit + 5-row transactions through the writer endpoint%n", runs, replicas, limit,
                pauseMillis);
        List<Run> measured = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, ReplicationMode.GTID));
             LocalWriterEndpoint endpoint = new LocalWriterEndpoint(0)) {
            ClusterConfig config = ConfigLoader.parseYaml(SandboxConfig.yaml("bench", sandbox, name -> ""), "bench.yaml");
            ServerNode master = sandbox.master();
            endpoint.assign(config.requireServer(master.name()));
            WriteLoad.createTable(master.host(), master.port());
            WriteLoad.createAppUser(master.host(), master.port(), APP, APP);
            sandbox.sync(Duration.ofSeconds(30));
            LocalWorkflowRuntime runtime = new LocalWorkflowRuntime("bench", () -> config, endpoint, NodeAgent.NONE,
                    new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()), (subject, text, json) -> { },
                    Progress.SILENT, Clock.systemUTC(), Duration.ofSeconds(30));
            LocalFailover stateMachine = LocalFailover.bundled();
            try (WriteLoad single = new WriteLoad("127.0.0.1", endpoint.port(), true, APP, APP, 1, 1);
                 WriteLoad batches = new WriteLoad("127.0.0.1", endpoint.port(), true, APP, APP, 5, 1_000_000_000L)) {
                Thread.sleep(pauseMillis);
                String current = "db1";
                for (int run = 1; run <= runs; run++) {
                    String target = current.equals("db1") ? "db2" : "db1";
                    long before = System.nanoTime();
                    LocalFailover.Result r = stateMachine.run(LocalFailover.switchoverInput("bench", target, true, limit, false),
                            runtime, Progress.SILENT);
                    long after = System.nanoTime();
                    if (r.outcome() != FailoverOutcome.SUCCEEDED) {
                        out.println("run " + run + ": switchover " + r.outcome() + ": " + r.error() + ": "
                                + LocalFailover.message(r.cause()));
                        return 1;
                    }
                    JsonNode output = r.execution().output();
                    SwitchoverState state = FailoverWorkflow.json().convertValue(output.get("state"), SwitchoverState.class);
                    waitForAckAfter(List.of(single, batches), after);
                    long unavailable = longestGap(List.of(single, batches), before, after) / 1_000_000;
                    ServerNode newMaster = sandbox.node(target);
                    long lost = single.missingOn(newMaster.host(), newMaster.port()) + batches.missingOn(newMaster.host(), newMaster.port());
                    long late = lateOnOldMaster(newMaster, sandbox.node(current), state.writeBlock().readOnlyAtMicros(),
                            List.of(single, batches));
                    Run m = new Run(state.writeBlock().millis(), unavailable, repointed(state), lost, late);
                    measured.add(m);
                    out.printf("run %2d: %s -> %s | write block %4d ms | write-unavailable window %4d ms | all repointed after"
                                    + " %4d ms | acknowledged writes lost %d | acknowledged by the old master after read_only %d%n",
                            run, current, target, m.writeBlock(), m.unavailable(), m.repointed(), m.lost(), m.lateOnOldMaster());
                    out.flush();
                    current = target;
                    Thread.sleep(pauseMillis);
                }
                single.close();
                batches.close();
                ServerNode last = sandbox.node(current);
                Checksums sums = sandbox.syncAndChecksum(last, Duration.ofSeconds(30));
                out.printf("after %d switchovers: %d + %d acknowledged rows, %d missing on %s; checksums %s%n", runs,
                        single.acknowledged().size(), batches.acknowledged().size(),
                        single.missingOn(last.host(), last.port()) + batches.missingOn(last.host(), last.port()), last.name(),
                        sums.consistent() ? "identical on every server" : "DIFFER: " + sums.differences());
            }
        }
        out.println(FailoverBench.summary("write block (read_only ON -> new master writable)", measured.stream().map(Run::writeBlock).toList()));
        out.println(FailoverBench.summary("write-unavailable window (client)", measured.stream().map(Run::unavailable).toList()));
        out.println(FailoverBench.summary("every replica repointed (from block start)", measured.stream().map(Run::repointed).toList()));
        out.printf("acknowledged writes lost: %d; acknowledged by the old master after its read_only took effect: %d%n",
                measured.stream().mapToLong(Run::lost).sum(), measured.stream().mapToLong(Run::lateOnOldMaster).sum());
        return 0;
    }

    /** From the block's start to the end of the last repointing step (the Map, or the old master's). */
    private static long repointed(SwitchoverState state) {
        long end = state.phases().stream().filter(p -> p.phase().equals("RepointReplicas") || p.phase().equals("OrigMasterAsReplica"))
                .mapToLong(p -> p.startedAtMillis() + p.millis()).max().orElse(state.writeBlock().startedAtMillis());
        return end - state.writeBlock().startedAtMillis();
    }

    private static void waitForAckAfter(List<WriteLoad> loads, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (loads.stream().noneMatch(l -> l.acks().stream().anyMatch(a -> a.atNanos() > nanos))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no write was acknowledged within 10 s after the switchover");
            }
            Thread.sleep(5);
        }
    }

    /** The longest pause between two acknowledged commits (of any load) that overlaps the switchover. */
    private static long longestGap(List<WriteLoad> loads, long from, long to) {
        List<Long> times = new ArrayList<>();
        loads.forEach(l -> l.acks().forEach(a -> times.add(a.atNanos())));
        times.sort(Comparator.naturalOrder());
        long longest = 0;
        for (int i = 0; i + 1 < times.size(); i++) {
            if (times.get(i + 1) > from && times.get(i) < to) {
                longest = Math.max(longest, times.get(i + 1) - times.get(i));
            }
        }
        return longest;
    }

    /**
     * Acknowledged rows the old master wrote in a statement that started after read_only had taken effect:
     * the new master has every row the old one committed, each tagged with the server that wrote it
     * and stamped with its statement's start.
     */
    private static long lateOnOldMaster(ServerNode newMaster, ServerNode oldMaster, long readOnlyAtMicros, List<WriteLoad> loads)
            throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = newMaster.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + WriteLoad.TABLE + " WHERE item = 'order@" + oldMaster.serverId()
                     + "' AND UNIX_TIMESTAMP(at) * 1000000 > " + readOnlyAtMicros)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids.stream().filter(id -> loads.stream().anyMatch(l -> l.acknowledged().contains(id))).count();
    }
}
