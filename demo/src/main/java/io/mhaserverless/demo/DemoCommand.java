package io.mhaserverless.demo;

import io.mhaserverless.cli.Mha;
import io.mhaserverless.cli.FailoverCommand;

import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.core.failover.Progress;
import java.time.Clock;
import java.util.Optional;
import io.mhaserverless.local.adapter.LocalWriterEndpoint;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConnections;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local demo on the embedded default: a real MariaDB topology on loopback, an application
 * writing through the writer endpoint, a SIGKILL of the master, detection by the ping loop, a real
 * failover, the report, a consistency check, the endpoint leading to the new master — then
 * everything removed.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Kills the master of a local sandbox and shows the failover, start to end.",
                "Starts 1 master + N replicas (real mariadbd processes, GTID) on loopback and a writer endpoint in front of "
                        + "the master, writes through it, kills the master with SIGKILL, detects the death with the ping loop, "
                        + "fails over, prints the report, the figures and a consistency check, shows the endpoint now reaching "
                        + "the new master, and removes everything it created."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "3", description = "number of replicas, 1..4 (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--writer-port", defaultValue = "13306",
            description = "loopback port of the writer endpoint; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int writerPort;

    @Option(names = "--load-seconds", defaultValue = "2", description = "seconds of writes before the kill (default: ${DEFAULT-VALUE})")
    int loadSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (replicas < 1 || replicas > SandboxSpec.MAX_REPLICAS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--replicas must be 1.." + SandboxSpec.MAX_REPLICAS + ", was " + replicas);
        }
        if (writerPort < 0 || writerPort > 65535 || loadSeconds < 1 || loadSeconds > 60) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--writer-port must be 0..65535 and --load-seconds 1..60");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        out.printf("== 1. A sandbox: 1 master + %d replicas, MariaDB GTID replication, real mariadbd processes%n", replicas);
        out.flush();
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, ReplicationMode.GTID));
             LocalWriterEndpoint writer = new LocalWriterEndpoint(writerPort)) {
            out.printf("   up and replicating in %.2f s under %s%n", (System.nanoTime() - t0) / 1e9, sandbox.directory());
            ServerNode master = sandbox.master();
            String yaml = SandboxConfig.yaml("demo", sandbox,
                    List.of("pingFailures: 3", "writerIp: {mode: local, address: '" + writer.address() + "'}"),
                    name -> "");
            Path config = Files.writeString(sandbox.directory().resolve("demo.yaml"), yaml);
            writer.assign(ConfigLoader.parseYaml(yaml, "demo.yaml").server(master.name()).orElseThrow());
            out.println("   cluster config: " + config);
            out.println("   writer endpoint " + writer.address() + " -> " + master);
            out.println();
            out.println("== 2. mha check-repl");
            out.flush();
            Mha.commandLine().setOut(out).setErr(spec.commandLine().getErr()).execute("check-repl", "--config", config.toString());
            out.println();

            WriteLoad.createTable(master.host(), master.port());
            out.printf("== 3. An application writes through %s for %d s, then the master is killed%n", writer.address(), loadSeconds);
            out.flush();
            KillAndFailover.Outcome outcome;
            long ackedBeforeKill;
            try (WriteLoad load = new WriteLoad("127.0.0.1", writer.port(), true)) {
                Thread.sleep(loadSeconds * 1000L);
                ackedBeforeKill = load.acknowledged().size();
                Progress progress = FailoverCommand.printer(out);
                out.println("   the failover runs statemachine/asl.json (bundled, the local runtime), each Task answered in this process");
                outcome = KillAndFailover.run(sandbox, yaml, KillAndFailover.stateMachine(LocalFailover.bundled(), writer,
                        KillAndFailover.nodeAgent(sandbox), new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC()),
                        new ConsoleNotifier(out, Optional.empty()), progress), progress);
                Thread.sleep(1000); // the application reconnects through the endpoint and writes on
                load.close();
                if (outcome.result().outcome() == FailoverOutcome.FAILED) {
                    out.print(outcome.result().reportText());
                    return outcome.result().outcome().exitCode();
                }
                ServerNode newMaster = sandbox.node(outcome.result().newMaster());
                out.println();
                out.println("== 4. Consistency across the survivors (synced to " + newMaster.name() + ", CHECKSUM TABLE)");
                Checksums sums = sandbox.syncAndChecksum(newMaster, Duration.ofSeconds(30));
                for (Map.Entry<String, Map<String, Long>> e : sums.byServer().entrySet()) {
                    ServerNode n = sandbox.node(e.getKey());
                    out.printf("   %-24s %s rows=%s checksum=%s%n", n, n == newMaster ? "(master) " : "(replica)",
                            n.queryString("SELECT COUNT(*) FROM " + WriteLoad.TABLE).orElse("?"),
                            e.getValue().get("`demo`.`orders`"));
                }
                out.println("   " + (sums.consistent() ? "identical on every survivor" : "DIFFERENT: " + sums.differences()));
                long lost = load.missingOn(newMaster.host(), newMaster.port());
                out.printf("   %d writes acknowledged (%d before the kill); %d acknowledged writes are missing on the new master:%n",
                        load.acknowledged().size(), ackedBeforeKill, lost);
                out.println("   " + (lost == 0 ? "nothing was lost."
                        : "LOST: they were on the dead master only and its binlog could not be saved."));

                out.println();
                out.println("== 5. The writer endpoint now leads to the new master");
                try (Connection c = SandboxConnections.open("127.0.0.1", writer.port(), Duration.ofSeconds(2), Duration.ofSeconds(10));
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT @@server_id, @@port, @@read_only")) {
                    rs.next();
                    out.printf("   %s -> server_id %d, port %d, read_only %d: %s%n", writer.address(), rs.getLong(1), rs.getInt(2),
                            rs.getInt(3), rs.getInt(2) == newMaster.port() ? newMaster.name() + ", the new master" : "NOT the new master");
                }
                KillAndFailover.Timings t = outcome.timings();
                out.println();
                out.printf("== Detection %d ms after the kill; new master writable %d ms and every replica repointed %d ms after detection.%n",
                        t.detectionMillis(), t.toWritableMillis(), t.toRepointedMillis());
            }
            out.println("== Removing the sandbox.");
            out.flush();
            return outcome.result().outcome().exitCode();
        }
    }
}
