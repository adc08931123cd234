package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A launcher names the class-data archive beside the jar whenever the file is there; a JVM that
 * cannot use it (another JDK build, a jar rebuilt or moved since, a damaged file) must still answer,
 * with its one JSON line alone on stdout: -Xshare:auto and the JVM's warnings sent to stderr.
 */
class ArchiveFallbackTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void anArchiveMadeForAnotherClassPathIsIgnored(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("other.jsa");
        Process dump = new ProcessBuilder(JAVA, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-cp", dir.resolve("other.jar").toString(), "-version").redirectErrorStream(true)
                .redirectOutput(dir.resolve("dump.log").toFile()).start();
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archive).as(Files.readString(dir.resolve("dump.log"))).exists();

        answersAloneOnStdout(JAVA, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), dir);
    }

    @Test
    void aFileThatIsNoArchiveIsIgnored(@TempDir Path dir) throws Exception {
        Path archive = Files.write(dir.resolve("damaged.jsa"), "not a class-data archive".getBytes(StandardCharsets.US_ASCII));
        answersAloneOnStdout(JAVA, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), dir);
    }

    /** JDK 25's AOT cache (AgentLauncher.AOT_CACHE): AOTMode=auto, the default, starts without a cache it cannot map. */
    @Test
    void onJdk25AFileThatIsNoAotCacheIsIgnored(@TempDir Path dir) throws Exception {
        Optional<String> java25 = jdk25();
        assumeTrue(java25.isPresent(), "no JDK 25+ here (MHA_JDK25, /usr/lib/jvm/*-25-*)");
        Path cache = Files.write(dir.resolve("damaged.aot"), "not an AOT cache".getBytes(StandardCharsets.US_ASCII));
        answersAloneOnStdout(java25.get(), List.of("-XX:AOTCache=" + cache), dir);
    }

    /** This JVM when it is 25 or later, else $MHA_JDK25, else the first /usr/lib/jvm/*-25-* with a bin/java. */
    static Optional<String> jdk25() throws IOException {
        if (Runtime.version().feature() >= 25) {
            return Optional.of(JAVA);
        }
        String env = System.getenv("MHA_JDK25");
        if (env != null && Files.isExecutable(Path.of(env, "bin", "java"))) {
            return Optional.of(Path.of(env, "bin", "java").toString());
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(jvms)) {
            return all.filter(d -> d.getFileName().toString().matches(".*-25-.*")).map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable).sorted().map(Path::toString).findFirst();
        }
    }

    private static void answersAloneOnStdout(String java, List<String> archiveFlags, Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> greet(server));
            greeter.setDaemon(true);
            greeter.start();
            List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable",
                    "-Xlog:all=warning:stderr"));
            command.addAll(archiveFlags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeAgent.class.getName(), "check-master", "--host",
                    server.getInetAddress().getHostAddress(), "--port", String.valueOf(server.getLocalPort())));
            Path out = dir.resolve("out.json");
            Path err = dir.resolve("err.log");
            Process agent = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stdout = Files.readString(out);
            assertThat(agent.exitValue()).as(stdout + Files.readString(err)).isZero();
            assertThat(stdout.strip().lines()).as(stdout).hasSize(1);
            JsonNode json = new ObjectMapper().readTree(stdout);
            assertThat(json.path("status").asText()).isEqualTo("ok");
            assertThat(json.path("reachable").asBoolean()).as(stdout).isTrue();
        }
    }

    private static void greet(ServerSocket server) {
        byte[] packet = {5, 0, 0, 0, 10, 'x', '.', '1', 0};
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.getOutputStream().write(packet);
            } catch (IOException closed) {
                return;
            }
        }
    }
}
