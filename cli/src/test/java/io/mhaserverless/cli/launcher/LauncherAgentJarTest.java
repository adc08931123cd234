package io.mhaserverless.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.mhaserverless.node.protocol.AgentLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive's {@code bin/mha} and the local node agent: the controller is told where
 * lib/mha-node-agent.jar is, {@code mha check-repl} leaves that jar's own archive (an AOT cache on
 * Java 25+) made by a real training run of the real agent jar, and later commands name it. Run
 * against the real script with a stand-in mha.jar that prints what it was given.
 */
class LauncherAgentJarTest {

    private static final Path AGENT_JAR = Path.of("../node-agent/target/mha-node-agent.jar");

    @TempDir
    Path release;

    private Path cds;

    @BeforeEach
    void unpack() throws IOException {
        Stand.unpackRelease(release);
        cds = release.resolve("cds");
    }

    @Test
    void withoutTheAgentJarTheControllerRunsTheAgentFromItsOwnClassPath() throws Exception {
        Run run = run("failover", "0");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("agent jar: null", "agent archive: null");
    }

    @Test
    void checkReplLeavesTheAgentsArchiveAndLaterCommandsNameIt() throws Exception {
        assumeThat(AGENT_JAR).as("the node agent's jar is built (mvn package)").isRegularFile();
        Path agent = Files.copy(AGENT_JAR, release.resolve("lib/mha-node-agent.jar"));

        Run before = run("failover", "0");
        assertThat(before.output()).contains("agent jar: " + agent.toAbsolutePath(), "agent archive: null");

        Run check = run("check-repl", "3");
        assertThat(check.exit()).as(check.output()).isEqualTo(3);
        String suffix = Runtime.version().feature() >= AgentLauncher.AOT_CACHE_JDK ? ".aot" : ".jsa";
        List<Path> made;
        try (Stream<Path> files = Files.list(cds)) {
            made = files.filter(f -> f.getFileName().toString().startsWith("agent-")).toList();
        }
        assertThat(made).as("one archive of the agent jar, renamed whole").singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString()).matches("agent-java\\d+-\\d+\\" + suffix));

        Run after = run("failover", "0");
        assertThat(after.output()).contains("agent jar: " + agent.toAbsolutePath(), "agent archive: " + made.get(0));
    }

    private record Run(int exit, String output) {
    }

    private Run run(String command, String exitCode) throws Exception {
        List<String> argv = new ArrayList<>(List.of(release.resolve("bin/mha").toString(), command, exitCode));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MHA_CDS_DIR", cds.toString());
        pb.environment().remove("MHA_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bin/mha ends").isTrue();
        return new Run(p.exitValue(), out);
    }
}
