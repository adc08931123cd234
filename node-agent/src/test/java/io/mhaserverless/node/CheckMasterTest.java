package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CheckMasterTest {

    private static AgentRun check(String host, int port, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("check-master", "--host", host, "--port",
                Integer.toString(port)));
        args.addAll(java.util.List.of(more));
        return AgentRun.of(args);
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
    void aRunningServerGreetsAndAKilledOneDoesNotAndBothExitZero(Sandbox sandbox) {
        AgentRun alive = check(sandbox.master().host(), sandbox.master().port());
        assertThat(alive.exit()).as(alive.toString()).isZero();
        assertThat(alive.json().path("reachable").asBoolean()).isTrue();
        assertThat(alive.json().path("detail").asText()).contains("protocol 10").contains("MariaDB");

        sandbox.master().kill();
        AgentRun dead = check(sandbox.master().host(), sandbox.master().port());
        assertThat(dead.exit()).as(dead.toString()).isZero();
        assertThat(dead.json().path("status").asText()).isEqualTo("ok");
        assertThat(dead.json().path("reachable").asBoolean()).isFalse();
        assertThat(dead.json().path("detail").asText()).containsIgnoringCase("refused");
    }

    @Test
    void aListenerThatIsSilentOrSpeaksAnotherProtocolIsNotAReachableServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = startDaemon(() -> acceptAndHold(silent));
            AgentRun run = check("127.0.0.1", silent.getLocalPort(), "--timeout-ms", "300");
            assertThat(run.exit()).isZero();
            assertThat(run.json().path("reachable").asBoolean()).isFalse();
            assertThat(run.json().path("detail").asText()).contains("no answer within 300 ms");
            t.interrupt();
        }
        try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            startDaemon(() -> {
                try (Socket s = http.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            AgentRun run = check("127.0.0.1", http.getLocalPort());
            assertThat(run.json().path("reachable").asBoolean()).isFalse();
            assertThat(run.json().path("detail").asText()).contains("not a MySQL handshake");
        }
    }

    @Test
    void anErrorPacketInsteadOfAGreetingStillMeansAlive() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            startDaemon(() -> {
                try (Socket s = busy.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] message = "Too many connections".getBytes(StandardCharsets.US_ASCII);
                    byte[] packet = new byte[4 + 3 + message.length];
                    int length = 3 + message.length;
                    packet[0] = (byte) length;
                    packet[4] = (byte) 0xff;
                    packet[5] = (byte) (1040 & 0xff);
                    packet[6] = (byte) (1040 >> 8);
                    System.arraycopy(message, 0, packet, 7, message.length);
                    out.write(packet);
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            AgentRun run = check("127.0.0.1", busy.getLocalPort());
            assertThat(run.json().path("reachable").asBoolean()).isTrue();
            assertThat(run.json().path("detail").asText()).contains("error 1040").contains("Too many connections");
        }
    }

    @Test
    void badInputExitsWithAnErrorThatNamesIt() {
        SaveBinlogTest.assertError(check("no-such-host.invalid", 3306), 1, "no-such-host.invalid");
        SaveBinlogTest.assertError(AgentRun.of("check-master", "--host", "127.0.0.1", "--port", "33o6"), 2, "33o6");
        SaveBinlogTest.assertError(check("127.0.0.1", 70000), 2, "70000");
        SaveBinlogTest.assertError(AgentRun.of("check-master", "--port", "3306"), 2, "--host");
    }

    private static void acceptAndHold(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.getInputStream().read(); // holds the connection open, says nothing
            Thread.sleep(5000);
        } catch (IOException | InterruptedException ignored) {
            // interrupted when the test is done
        }
    }

    private static Thread startDaemon(Runnable r) {
        Thread t = new Thread(r, "check-master-test-listener");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
