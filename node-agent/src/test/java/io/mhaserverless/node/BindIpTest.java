package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bind-ip / unbind-ip for real, inside a network namespace this test creates (a veth pair in it),
 * with the agent run as a process in that namespace. Needs root (CAP_NET_ADMIN); skipped otherwise.
 * The namespace is always deleted.
 */
class BindIpTest {

    private static final String ADDRESS = "10.231.7.5";
    private String namespace;

    @BeforeEach
    void createNamespace() throws Exception {
        namespace = "mhatest" + ThreadLocalRandom.current().nextInt(100000, 999999);
        Result add = run(List.of("ip", "netns", "add", namespace));
        assumeTrue(add.exit() == 0, "ip netns is not permitted here: " + add.output());
        Result veth = run(List.of("ip", "netns", "exec", namespace, "ip", "link", "add", "mha0", "type", "veth", "peer", "name", "mha1"));
        assumeTrue(veth.exit() == 0, "cannot create a veth pair: " + veth.output());
        run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "mha0", "up"));
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (namespace != null) {
            run(List.of("ip", "netns", "del", namespace));
        }
    }

    record Result(int exit, String stdout, String stderr) {
        String output() {
            return (stdout + " " + stderr).strip();
        }

        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(stdout);
        }
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The agent as a process inside the namespace. */
    private Result agent(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                NodeAgent.class.getName()));
        command.addAll(List.of(args));
        return run(command);
    }

    private String addresses() throws Exception {
        return run(List.of("ip", "netns", "exec", namespace, "ip", "-o", "-4", "addr", "show", "dev", "mha0")).stdout();
    }

    @Test
    void bindingAddsTheAddressOnceAndUnbindingRemovesItOnce() throws Exception {
        Result bind = agent("bind-ip", "--address", ADDRESS, "--interface", "mha0");
        assertThat(bind.exit()).as(bind.output()).isZero();
        assertThat(bind.json().path("status").asText()).isEqualTo("ok");
        assertThat(bind.json().path("changed").asBoolean()).isTrue();
        assertThat(bind.json().path("arp").asText()).isIn("sent", "arping not installed");
        assertThat(addresses()).contains("inet " + ADDRESS + "/32");

        Result again = agent("bind-ip", "--address", ADDRESS, "--interface", "mha0");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.json().path("changed").asBoolean()).isFalse();

        Result unbind = agent("unbind-ip", "--address", ADDRESS, "--interface", "mha0");
        assertThat(unbind.exit()).as(unbind.output()).isZero();
        assertThat(unbind.json().path("changed").asBoolean()).isTrue();
        assertThat(addresses()).doesNotContain(ADDRESS);

        Result unbindAgain = agent("unbind-ip", "--address", ADDRESS, "--interface", "mha0");
        assertThat(unbindAgain.json().path("changed").asBoolean()).isFalse();
    }

    @Test
    void anUnknownInterfaceOrABadAddressIsNamed() throws Exception {
        Result noSuch = agent("bind-ip", "--address", ADDRESS, "--interface", "nosuch0");
        assertThat(noSuch.exit()).isEqualTo(1);
        assertThat(noSuch.json().path("error").asText()).contains("nosuch0");

        Result bad = agent("bind-ip", "--address", "10.1.2", "--interface", "mha0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.json().path("error").asText()).contains("10.1.2");
        assertThat(addresses()).doesNotContain("10.1.2");
    }

    /** bind-ip --confirm-metadata with a server playing IMDS inside the namespace (on its loopback). */
    @Test
    void confirmMetadataReportsSuccessOnlyWhenTheInterfaceListsTheAddress(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"));
        String mac = run(List.of("ip", "netns", "exec", namespace, "cat", "/sys/class/net/mha0/address")).stdout().strip();
        Path ipv4s = java.nio.file.Files.writeString(dir.resolve("ipv4s"), "10.231.7.1\n");
        Process imds = new ProcessBuilder("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                FakeImds.class.getName(), "0", mac, ipv4s.toString()).redirectErrorStream(true).start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(imds.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(ready).startsWith("ready ");
            String endpoint = "http://127.0.0.1:" + ready.substring("ready ".length()).strip();

            Result unlisted = agent("bind-ip", "--address", ADDRESS, "--interface", "mha0", "--confirm-metadata",
                    "--metadata-timeout-seconds", "2", "--metadata-endpoint", endpoint);
            assertThat(unlisted.exit()).as(unlisted.output()).isEqualTo(1);
            assertThat(unlisted.json().path("error").asText()).contains("do not list it", mac);

            java.nio.file.Files.writeString(ipv4s, "10.231.7.1\n" + ADDRESS + "\n");
            Result listed = agent("bind-ip", "--address", ADDRESS, "--interface", "mha0", "--confirm-metadata",
                    "--metadata-timeout-seconds", "10", "--metadata-endpoint", endpoint);
            assertThat(listed.exit()).as(listed.output()).isZero();
            assertThat(listed.stderr()).contains("instance metadata lists " + ADDRESS);
        } finally {
            imds.destroy();
            imds.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
