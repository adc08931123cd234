package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mha manager} as an operator runs it: its own process, watching, failing over, watching on, stopped by SIGTERM. */
class ManagerCommandTest {

    @TempDir
    Path dir;

    @Test
    @MariaDbTopology(replicas = 2)
    void watchesFailsOverADeadMasterKeepsWatchingAndStopsOnSigterm(Sandbox sandbox) throws Exception {
        Path config = Files.writeString(dir.resolve("cluster.yaml"), SandboxConfig.yaml("test", sandbox, List.of("pingFailures: 3"), n -> ""));
        String state = dir.resolve("state").toString();
        Path log = dir.resolve("manager.log");
        Process manager = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Mha.class.getName(),
                "manager", "--config", config.toString(), "--state-dir", state)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(log, "discover: master", Duration.ofSeconds(60));
            CliRun watching = awaitStatus(config, state, "master:         db1 (alive)");
            assertThat(watching.exit()).as(watching.toString()).isZero();
            assertThat(watching.out()).contains("prober:         manager@").contains("master:         db1 (alive)");

            sandbox.master().kill();
            awaitLine(log, "ended: succeeded, new master db", Duration.ofSeconds(90));
            String after = awaitLine(log, "test db2 discover: master", Duration.ofSeconds(30));
            assertThat(after).as("a failover is not the end of the watch").contains("verdict: dead").contains("Still watching.");
            // the figures CloudWatch gets on AWS, printed after the report; and no logging noise
            assertThat(after).contains("Figures: outcome succeeded, failover ").contains("writable after ")
                    .contains("replicas not recovered 0").contains("Figures: phases: CheckConfiguration ");
            assertThat(after).doesNotContain("SLF4J");

            CliRun history = CliRun.of("history", "--cluster", "test", "--state-dir", state);
            assertThat(history.exit()).as(history.toString()).isZero();
            assertThat(history.out()).containsPattern("failover +succeeded +db1 +db2");

            manager.destroy(); // SIGTERM: masterha_stop
            assertThat(manager.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(manager.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("Stopped watching test.");
            CliRun stopped = CliRun.of("status", "--cluster", "test", "--state-dir", state);
            assertThat(stopped.exit()).as("the lease was let go: nobody watches").isEqualTo(StatusCommand.NOT_RUNNING);
            assertThat(stopped.out()).contains("prober:         none").contains("master:         db2");
        } finally {
            manager.destroyForcibly();
            manager.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void refusesToWatchABrokenTopologyAsMhasManagerDoes(Sandbox sandbox) throws IOException {
        // t_ignore_nostart: a dead ignoreFail server stops the start unless --ignore-fail-on-start
        Path config = Files.writeString(dir.resolve("cluster.yaml"), SandboxConfig.yaml("test", sandbox, List.of(),
                n -> n.equals("db3") ? "ignoreFail: true" : ""));
        sandbox.node("db3").kill();

        CliRun run = CliRun.of("manager", "--config", config.toString(), "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Not watching test: replication is not healthy").contains("db3");
        assertThat(dir.resolve("state").resolve("test.probe.json")).as("no lease was taken").doesNotExist();
    }

    @Test
    void statusAndHistoryNameABadClusterAndExitTwo() {
        CliRun status = CliRun.of("status", "--cluster", "no such", "--state-dir", dir.toString());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("--cluster: not a cluster name: 'no such'");

        CliRun both = CliRun.of("status", "--state-dir", dir.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give one of --config or --cluster");

        CliRun history = CliRun.of("history", "--cluster", "app1", "--limit", "0", "--state-dir", dir.toString());
        assertThat(history.exit()).isEqualTo(2);
        assertThat(history.err()).contains("--limit must be at least 1");
    }

    @Test
    void aClusterNeverWatchedIsReportedAsNotRunning() {
        CliRun status = CliRun.of("status", "--cluster", "app1", "--state-dir", dir.toString());

        assertThat(status.exit()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(status.out()).contains("prober:         none has ever watched it").contains("last failover:  none");
    }

    /** {@code mha status} until it shows {@code text} (the manager saves what it sees a moment after it logs it). */
    private static CliRun awaitStatus(Path config, String state, String text) throws InterruptedException {
        CliRun run = null;
        for (int i = 0; i < 50; i++) {
            run = CliRun.of("status", "--config", config.toString(), "--state-dir", state);
            if (run.out().contains(text)) {
                return run;
            }
            Thread.sleep(100);
        }
        return run;
    }

    /** Waits for the log to contain {@code text}; the whole log then. */
    private static String awaitLine(Path log, String text, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String content = "";
        while (System.nanoTime() < end) {
            content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within " + timeout.toSeconds() + " s in the manager's output:\n" + content);
    }
}
