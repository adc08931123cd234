package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

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

        answersAloneOnStdout(archive, dir);
    }

    @Test
    void aFileThatIsNoArchiveIsIgnored(@TempDir Path dir) throws Exception {
        Path archive = Files.write(dir.resolve("damaged.jsa"), "not a class-data archive".getBytes(StandardCharsets.US_ASCII));
        answersAloneOnStdout(archive, dir);
    }

    private static void answersAloneOnStdout(Path archive, Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> greet(server));
            greeter.setDaemon(true);
            greeter.start();
            List<String> command = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable",
                    "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), NodeAgent.class.getName(), "check-master", "--host",
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
