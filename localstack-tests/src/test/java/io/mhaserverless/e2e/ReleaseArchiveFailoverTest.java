package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user who downloaded the release does: unpack {@code mha-<version>.tar.gz} (built by
 * {@code ./mvnw package}), go to a directory that has nothing of the checkout, and fail over with
 * {@code bin/mha}. Java is all the machine needs: no Node, no npm, no statemachine/ directory.
 */
class ReleaseArchiveFailoverTest {

    @TempDir
    Path unpacked;

    @TempDir
    Path elsewhere;

    @Test
    @MariaDbTopology(replicas = 2)
    void theUnpackedArchiveFailsOverFromAnyDirectory(Sandbox sandbox) throws Exception {
        Path mha = unpack();
        assertThat(Files.isExecutable(mha)).as(mha + " is executable").isTrue();

        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        Files.writeString(elsewhere.resolve("app1.yaml"), SandboxConfig.yaml("app1", sandbox, List.of(), n -> ""));
        sandbox.master().kill();

        Run failover = run(elsewhere, List.of(mha.toString(), "failover", "--config", "app1.yaml", "--state-dir", "state"));

        assertThat(failover.exit).as(failover.output).isZero();
        assertThat(failover.output).contains("app1: MySQL master failover " + sandbox.master() + " to " + sandbox.node("db2") + " succeeded");
        assertThat(sandbox.node("db2").queryString("SELECT @@read_only")).contains("0");
        assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));
    }

    /**
     * The controller SIGKILLed mid-failover, as a user's bad day goes: the next `mha failover`
     * takes the dead controller's lock over, says so first, and finishes from where it stood.
     */
    @Test
    @MariaDbTopology(replicas = 3)
    void aKilledFailoverIsFinishedByTheNextRun(Sandbox sandbox) throws Exception {
        Path mha = unpack();
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        Files.writeString(elsewhere.resolve("app1.yaml"), SandboxConfig.yaml("app1", sandbox, List.of(), n -> ""));
        sandbox.master().kill();

        ProcessBuilder pb = new ProcessBuilder(mha.toString(), "failover", "--config", "app1.yaml", "--state-dir", "state")
                .directory(elsewhere.toFile()).redirectErrorStream(true).redirectOutput(elsewhere.resolve("first.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process first = pb.start();
        Path state = elsewhere.resolve("state/app1.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!(Files.exists(state) && Files.readString(state).contains("\"completedState\""))) {
            assertThat(first.isAlive()).as("the first run ended before it recorded any progress: "
                    + Files.readString(elsewhere.resolve("first.log"))).isTrue();
            assertThat(System.nanoTime()).as("no progress within 2 minutes").isLessThan(deadline);
            Thread.sleep(2);
        }
        first.descendants().forEach(ProcessHandle::destroyForcibly);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no report, the lock left held
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(state)).as("killed before it finished").contains("\"completedState\"");

        Run second = run(elsewhere, List.of(mha.toString(), "failover", "--config", "app1.yaml", "--state-dir", "state"));

        assertThat(second.exit).as(second.output).isZero();
        assertThat(second.output.lines().findFirst().orElse("")).contains("finishing the unfinished failover of app1");
        assertThat(second.output).contains("was resumed at").contains("succeeded");
        java.util.regex.Matcher promoted = java.util.regex.Pattern.compile("Master failover to (db\\d)\\(").matcher(second.output);
        assertThat(promoted.find()).as(second.output).isTrue();
        var newMaster = sandbox.node(promoted.group(1));
        assertThat(newMaster.queryString("SELECT @@read_only")).contains("0");
        for (var replica : sandbox.replicas()) {
            if (replica != newMaster) {
                assertThat(replica.replicaStatus("Master_Port")).as(replica + " follows the new master")
                        .contains(Integer.toString(newMaster.port()));
                assertThat(replica.queryString("SELECT @@read_only")).contains("1");
            }
        }
    }

    private Path unpack() throws Exception {
        Path archive;
        try (Stream<Path> built = Files.list(Checkout.root().resolve("cli/target"))) {
            // the newest: an archive of an earlier version may still lie beside it
            archive = built.filter(p -> p.getFileName().toString().matches("mha-.*\\.tar\\.gz"))
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no mha-*.tar.gz in cli/target: ./mvnw package builds it"));
        }
        assertThat(run(unpacked, List.of("tar", "xzf", archive.toString())).exit).isZero();
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.findFirst().orElseThrow().resolve("bin/mha");
        }
    }

    private record Run(int exit, String output) {
    }

    /** Output to a file, not a pipe: a hung run must not hang the build past the wait's limit. */
    private static Run run(Path dir, List<String> command) throws Exception {
        Path log = Files.createTempFile("mha-run", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 5 minutes: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
