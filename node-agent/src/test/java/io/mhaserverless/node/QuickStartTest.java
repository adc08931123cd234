package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli-free start of check-master and save-binlog answers exactly as picocli would, and leaves everything else to it. */
class QuickStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Quick(int exit, String stdout, String stderr) {
    }

    private static Quick quick(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = QuickStart.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Quick(exit, out.toString(), err.toString());
    }

    @Test
    void checkMasterAnswersAsUnderPicocli() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> greet(server));
            greeter.setDaemon(true);
            greeter.start();
            String port = String.valueOf(server.getLocalPort());
            for (List<String> args : List.of(List.of("check-master", "--host", "127.0.0.1", "--port", port),
                    List.of("check-master", "--port=" + port, "--host=127.0.0.1", "--timeout-ms", "3000"))) {
                Quick q = quick(args.toArray(String[]::new));
                AgentRun p = AgentRun.of(args);
                assertThat(q.exit()).as(q.stderr()).isZero().isEqualTo(p.exit());
                assertThat(withoutElapsed(q.stdout())).isEqualTo(withoutElapsed(p.stdout()));
                assertThat(JSON.readTree(q.stdout()).path("detail").asText()).contains("server 8.0.1-training");
                assertThat(q.stderr()).contains("[check-master] 127.0.0.1:" + port + " answers");
            }
        }
    }

    @Test
    void saveBinlogAnswersAsUnderPicocli(@TempDir Path dir) throws Exception {
        Path binlog = dir.resolve("mysql-bin.000001");
        try (InputStream in = CdsTraining.class.getResourceAsStream("cds/mysql-bin.000001")) {
            Files.copy(in, binlog);
        }
        long end = Files.size(binlog);
        String out = dir.resolve("saved.binlog").toString();
        for (List<String> args : List.of(
                List.of("save-binlog", "--binlog-dir", dir.toString(), "--from", "mysql-bin.000001:" + end, "--out", out),
                List.of("save-binlog", "--binlog-dir", dir.toString(), "--from=mysql-bin.000001:4", "--check"),
                List.of("save-binlog", "--binlog-dir", dir.resolve("missing").toString(), "--from", "mysql-bin.000001:4", "--out", out),
                List.of("save-binlog", "--binlog-dir", dir.toString(), "--binlog-prefix", "mariadb-bin", "--from-gtid", "0-1-1", "--out", out))) {
            Quick q = quick(args.toArray(String[]::new));
            AgentRun p = AgentRun.of(args);
            assertThat(q.exit()).as(args + "\n" + q + "\n" + p).isEqualTo(p.exit());
            assertThat(q.stdout()).as(args.toString()).isEqualTo(p.stdout());
        }
        Path credentials = Files.writeString(dir.resolve("credentials"), "user=u\npassword=p\n");
        List<String> applyTo = List.of("save-binlog", "--binlog-dir", dir.toString(), "--from", "mysql-bin.000001:" + end, "--out", out,
                "--apply-to", "127.0.0.1:1", "--skip-gtids", "0-1-1", "--credentials-file", credentials.toString(),
                "--timeout-seconds", "5", "--start-by", Long.toString(System.currentTimeMillis() + 600_000));
        Quick q = quick(applyTo.toArray(String[]::new));
        AgentRun p = AgentRun.of(applyTo);
        assertThat(q.exit()).as(q + "\n" + p).isEqualTo(10).isEqualTo(p.exit());
        assertThat(q.stdout()).isEqualTo(p.stdout());
        List<String> late = new java.util.ArrayList<>(applyTo.subList(0, applyTo.size() - 1));
        late.add("1");
        Quick tooLate = quick(late.toArray(String[]::new));
        assertThat(tooLate.exit()).as(tooLate.toString()).isEqualTo(13).isEqualTo(AgentRun.of(late).exit());
        assertThat(JSON.readTree(tooLate.stdout()).path("status").asText()).isEqualTo("too-late");
        assertThat(quick("save-binlog", "--binlog-dir", dir.toString(), "--from", "mysql-bin.000001:" + end, "--out", out).exit())
                .isEqualTo(10);
        assertThat(quick("save-binlog", "--binlog-dir", dir.toString(), "--from", "mysql-bin.000001:4", "--out", out).exit()).isZero();
        assertThat(dir.resolve("saved.binlog")).exists();
    }

    @Test
    void anythingButPlainArgumentsIsLeftToPicocliWithNothingPrinted() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("find-relay-position"), List.of("check-master", "--help"),
                List.of("check-master", "-h"), List.of("check-master", "--port", "1"), List.of("check-master", "--host", "h"),
                List.of("check-master", "--host", "h", "--port", "0x10"), List.of("check-master", "--host", "h", "--port", "070"),
                List.of("check-master", "--host", "h", "--port", "1", "--port", "2"),
                List.of("check-master", "--host", "h", "--port", "1", "--password", "x"),
                List.of("check-master", "--host", "h", "--port", "70000"), List.of("check-master", "--host", "h", "--port", "1",
                        "--timeout-ms", "0"),
                List.of("check-master", "--host", "--port", "1"), List.of("check-master", "@args.txt"),
                List.of("check-master", "--host", "h", "--port"), List.of("check-master", "--", "--host", "h", "--port", "1"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4", "--from-gtid", "0-1-1", "--out", "/o"),
                List.of("save-binlog", "--binlog-dir", "/d", "--out", "/o"), List.of("save-binlog", "--from", "f:4", "--out", "/o"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "nocolon", "--out", "/o"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4", "--check=true"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from-gtid", "junk", "--out", "/o"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4", "--out", "/o", "--skip-gtids", "0-1-1"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4", "--out", "/o", "--apply-to", "h:1", "--start-by", "soon"),
                List.of("save-binlog", "--binlog-dir", "/d", "--from", "f:4", "--out", "/o", "--apply-to", "h:1",
                        "--timeout-seconds", "-1"))) {
            Quick q = quick(args.toArray(String[]::new));
            assertThat(q.exit()).as(args.toString()).isEqualTo(QuickStart.NOT_HANDLED);
            assertThat(q.stdout() + q.stderr()).as(args.toString()).isEmpty();
        }
    }

    @Test
    void theSwitchSendsEveryCallToPicocli() {
        System.setProperty(QuickStart.SWITCH, "false");
        try {
            assertThat(quick("check-master", "--host", "127.0.0.1", "--port", "1").exit()).isEqualTo(QuickStart.NOT_HANDLED);
        } finally {
            System.clearProperty(QuickStart.SWITCH);
        }
    }

    private static String withoutElapsed(String json) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.remove("elapsedMs");
        return node.toString();
    }

    private static void greet(ServerSocket server) {
        byte[] version = "8.0.1-training".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] packet = new byte[4 + 1 + version.length + 1];
        packet[0] = (byte) (packet.length - 4);
        packet[4] = 10;
        System.arraycopy(version, 0, packet, 5, version.length);
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.getOutputStream().write(packet);
            } catch (IOException closed) {
                return;
            }
        }
    }
}
