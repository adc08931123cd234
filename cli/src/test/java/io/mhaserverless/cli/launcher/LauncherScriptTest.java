package io.mhaserverless.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive's {@code bin/mha} on Java 17/18: {@code mha check-repl} leaves a class-data
 * archive of this JDK and this mha.jar, every later command starts from it, and nothing else
 * (another jar, {@code MHA_CDS_DIR=none}) picks up an archive that is not its own. Run against the
 * real script with a stand-in mha.jar whose main class exits with the code it is asked for.
 */
class LauncherScriptTest {

    @TempDir
    Path release;

    private Path cds;

    @BeforeEach
    void unpack() throws IOException {
        assumeThat(Runtime.version().feature()).as("Java 19+ keeps its archive itself (AutoCreateSharedArchive)").isLessThan(19);
        Stand.unpackRelease(release);
        cds = release.resolve("cds");
    }

    @Test
    void checkReplLeavesTheArchiveAndKeepsItsExitCode() throws Exception {
        Run check = run(Map.of(), "check-repl", "1");

        assertThat(check.exit()).as(check.output()).isEqualTo(1);
        assertThat(archives()).as("one archive, renamed whole").hasSize(1)
                .allSatisfy(a -> assertThat(a.getFileName().toString()).matches("mha-java\\d+-\\d+\\.jsa"));
    }

    @Test
    void laterCommandsStartFromTheArchive() throws Exception {
        assertThat(run(Map.of(), "failover", "0").output()).as("no archive yet: nothing shared of ours")
                .doesNotContain("Stand source: shared objects file (top)");
        run(Map.of(), "check-repl", "0");

        Run failover = run(Map.of("MHA_JAVA_OPTS", "-Xlog:class+load=info"), "failover", "0");

        assertThat(failover.exit()).isZero();
        assertThat(failover.output()).contains("Stand source: shared objects file (top)");
    }

    @Test
    void anotherJarDoesNotUseTheArchiveOfTheFirst() throws Exception {
        run(Map.of(), "check-repl", "0");
        Files.setLastModifiedTime(release.resolve("lib/mha.jar"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        Run failover = run(Map.of("MHA_JAVA_OPTS", "-Xlog:class+load=info"), "failover", "0");

        assertThat(failover.exit()).isZero();
        assertThat(failover.output()).doesNotContain("Stand source: shared objects file (top)")
                .as("the JDK's own archive is still used").contains("source: shared objects file");
    }

    @Test
    void noneTurnsItOff() throws Exception {
        Run check = run(Map.of("MHA_CDS_DIR", "none"), "check-repl", "0");

        assertThat(check.exit()).isZero();
        assertThat(cds).doesNotExist();
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            return files.toList();
        }
    }

    private record Run(int exit, String output) {
    }

    private Run run(Map<String, String> env, String command, String exitCode) throws Exception {
        List<String> argv = new ArrayList<>(List.of(release.resolve("bin/mha").toString(), command, exitCode));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MHA_CDS_DIR", cds.toString());
        pb.environment().remove("MHA_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bin/mha ends").isTrue();
        return new Run(p.exitValue(), out);
    }
}
