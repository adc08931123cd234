package io.mhaserverless.cli;

import io.mhaserverless.cli.local.SandboxConfig;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local demo on the embedded default: a real MariaDB topology on loopback, then check-repl on
 * it, then everything removed. (The failover issue extends this to a real failure and failover.)
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Starts a sandbox of real mariadbd processes (1 master + N replicas, GTID) on loopback,",
                "writes a little data, runs check-repl against it, and removes everything it created."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "3", description = "number of replicas, 1..4 (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--mode", defaultValue = "GTID", description = "GTID or FILE replication (default: ${DEFAULT-VALUE})")
    ReplicationMode mode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (replicas < 1 || replicas > SandboxSpec.MAX_REPLICAS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--replicas must be 1.." + SandboxSpec.MAX_REPLICAS + ", was " + replicas);
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        out.printf("Starting a sandbox: 1 master + %d replicas, %s replication ...%n", replicas, mode);
        out.flush();
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(replicas, mode))) {
            out.printf("  %d mariadbd processes up and replicating in %.2f s, under %s%n",
                    replicas + 1, (System.nanoTime() - t0) / 1e9, sandbox.directory());
            sandbox.master().execute("CREATE DATABASE demo",
                    "CREATE TABLE demo.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(40))",
                    "INSERT INTO demo.orders (item) VALUES ('tea'), ('coffee'), ('water')");
            sandbox.sync(Duration.ofSeconds(30));
            Path config = SandboxConfig.write(sandbox.directory().resolve("demo.yaml"), "demo", sandbox);
            out.println("Cluster config: " + config);
            out.println();
            out.println("$ mha check-repl --config " + config);
            out.flush();
            int rc = new CommandLine(new CheckReplCommand())
                    .setOut(out).setErr(spec.commandLine().getErr())
                    .setExecutionExceptionHandler(new ErrorHandler())
                    .execute("--config", config.toString());
            out.println();
            out.println("check-repl exited " + rc + ". Removing the sandbox.");
            return rc;
        }
    }
}
