package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr naming the culprit, exit 2 (or 1 for a dead server), nothing changed. */
class CheckReplBadInputTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("cluster.yaml"), yaml);
    }

    /** Everything a careless check could change: replication state, GTID positions, read_only, data. */
    private static Map<String, String> fingerprint(Sandbox sandbox) {
        return sandbox.nodes().stream().collect(Collectors.toMap(ServerNode::name, n -> String.join("|",
                n.queryString("SELECT CONCAT_WS(',', @@gtid_binlog_pos, @@gtid_slave_pos, @@read_only)").orElse(""),
                n.replicaStatus("Slave_IO_Running").orElse("-"), n.replicaStatus("Slave_SQL_Running").orElse("-"),
                n.replicaStatus("Master_Port").orElse("-"))));
    }

    private static void assertOneLineError(CliRun run, int exit, String... fragments) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(exit);
        assertThat(run.out()).as(run.toString()).isEmpty();
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("mha check-repl: ").contains(fragments);
    }

    @Test
    void unknownKeyIsNamedWithItsLine() throws IOException {
        Path config = write("""
                cluster: app1
                user: admin
                pingIntervall: 1s
                servers:
                  - {name: db1, host: 127.0.0.1}
                  - {name: db2, host: 127.0.0.2}
                """);
        assertOneLineError(CliRun.of("check-repl", "--config", config.toString()), 2,
                config + ":3: pingIntervall: unknown key");
    }

    @Test
    void duplicateServerIsNamed() throws IOException {
        Path config = write("""
                cluster: app1
                servers:
                  - name: db1
                    host: 127.0.0.1
                  - name: db1
                    host: 127.0.0.2
                """);
        assertOneLineError(CliRun.of("check-repl", "--config", config.toString()), 2,
                config + ":5: servers[1].name: duplicate server name 'db1' (first at line 3)");
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertOneLineError(CliRun.of("check-repl", "--config", missing.toString()), 2, missing + ": no such file");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        CliRun run = CliRun.of("check-repl");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void negativeLagLimitIsRejected() throws IOException {
        Path config = write("cluster: a\nservers:\n  - {name: db1, host: h1}\n  - {name: db2, host: h2}\n");
        CliRun run = CliRun.of("check-repl", "--config", config.toString(), "--seconds-behind-master", "-1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--seconds-behind-master must be 0 or more, was -1");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void wrongPasswordIsNamedAndChangesNothing(Sandbox sandbox) throws IOException {
        Map<String, String> before = fingerprint(sandbox);
        Path config = write(SandboxConfig.yaml("test", sandbox, n -> "").replace("password: admin", "password: wrong"));

        CliRun run = CliRun.of("check-repl", "--config", config.toString());

        assertOneLineError(run, 2, ": access denied for user 'admin' (check user and password)");
        assertThat(run.err()).containsPattern("db[123]\\(127\\.0\\.0\\.1:\\d+\\): access denied");
        assertThat(fingerprint(sandbox)).isEqualTo(before);
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void unresolvableHostIsNamed(Sandbox sandbox) throws IOException {
        Path config = write(SandboxConfig.yaml("test", sandbox, n -> "")
                + "  - name: db9\n    host: no-such-host.invalid\n");

        assertOneLineError(CliRun.of("check-repl", "--config", config.toString()), 2,
                "db9(no-such-host.invalid:3306): unknown host 'no-such-host.invalid'");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void unreachableHostIsADeadServerAndChangesNothing(Sandbox sandbox) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> before = fingerprint(sandbox);
        Path config = write(SandboxConfig.yaml("test", sandbox, n -> "")
                + "  - name: db9\n    host: 127.0.0.1\n    port: " + closedPort + "\n");

        CliRun run = CliRun.of("check-repl", "--config", config.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        List<String> dead = run.out().lines().filter(l -> l.contains("db9")).toList();
        assertThat(dead).contains("db9(127.0.0.1:" + closedPort + ") (dead)");
        assertThat(dead).anySatisfy(l -> assertThat(l).startsWith("[ERROR] alive: db9(127.0.0.1:" + closedPort + "): dead: cannot connect"));
        assertThat(fingerprint(sandbox)).isEqualTo(before);
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void serverThatIsNotMySqlIsNamed(Sandbox sandbox) throws Exception {
        try (ServerSocket ssh = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                while (!ssh.isClosed()) {
                    try (Socket c = ssh.accept(); OutputStream out = c.getOutputStream()) {
                        out.write("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(Duration.ofSeconds(3).toMillis());
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            greeter.setDaemon(true);
            greeter.start();
            Path config = write(SandboxConfig.yaml("test", sandbox, n -> "")
                    + "  - name: db9\n    host: 127.0.0.1\n    port: " + ssh.getLocalPort() + "\n");

            assertOneLineError(CliRun.of("check-repl", "--config", config.toString()), 2,
                    "db9(127.0.0.1:" + ssh.getLocalPort() + "): not a MySQL or MariaDB server");
        }
    }
}
