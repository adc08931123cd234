package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bind-ip's --confirm-metadata against a local server playing IMDSv2. */
class InstanceMetadataTest {

    static final String MAC = "0a:1b:2c:3d:4e:5f";

    @Test
    void confirmsAnAddressTheInterfaceLists(@TempDir Path dir) throws Exception {
        Path ipv4s = Files.writeString(dir.resolve("ipv4s"), "10.0.1.11\n10.0.1.50\n");
        List<String> log = new ArrayList<>();
        try (FakeImds imds = new FakeImds(0, MAC, ipv4s)) {
            InstanceMetadata metadata = new InstanceMetadata(URI.create("http://127.0.0.1:" + imds.port()));
            assertThat(metadata.localIpv4s(MAC)).containsExactly("10.0.1.11", "10.0.1.50");
            metadata.confirm("10.0.1.50", MAC, Duration.ofSeconds(5), log::add);
        }
        assertThat(log).containsExactly("instance metadata lists 10.0.1.50 on " + MAC);
    }

    @Test
    void failsNamingWhatTheInterfaceListsWhenEc2NeverGaveItTheAddress(@TempDir Path dir) throws Exception {
        Path ipv4s = Files.writeString(dir.resolve("ipv4s"), "10.0.1.11\n");
        try (FakeImds imds = new FakeImds(0, MAC, ipv4s)) {
            InstanceMetadata metadata = new InstanceMetadata(URI.create("http://127.0.0.1:" + imds.port()));
            assertThatThrownBy(() -> metadata.confirm("10.0.1.50", MAC, Duration.ofSeconds(1), line -> { }))
                    .isInstanceOf(AgentFailure.class)
                    .hasMessageContaining("local-ipv4s of interface " + MAC + " do not list it after 1 s (it lists 10.0.1.11)");
            assertThatThrownBy(() -> metadata.confirm("10.0.1.50", "0a:00:00:00:00:01", Duration.ofSeconds(1), line -> { }))
                    .hasMessageContaining("has no interface 0a:00:00:00:00:01");
        }
    }

    @Test
    void waitsForTheListToCatchUp(@TempDir Path dir) throws Exception {
        Path ipv4s = Files.writeString(dir.resolve("ipv4s"), "10.0.1.11\n");
        try (FakeImds imds = new FakeImds(0, MAC, ipv4s)) {
            InstanceMetadata metadata = new InstanceMetadata(URI.create("http://127.0.0.1:" + imds.port()));
            Thread later = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    Files.writeString(ipv4s, "10.0.1.11\n10.0.1.50\n");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            later.start();
            metadata.confirm("10.0.1.50", MAC, Duration.ofSeconds(30), line -> { });
            later.join();
        }
    }

    @Test
    void noAnswerWithoutAToken(@TempDir Path dir) throws Exception {
        Path ipv4s = Files.writeString(dir.resolve("ipv4s"), "10.0.1.50\n");
        try (FakeImds imds = new FakeImds(0, MAC, ipv4s)) {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + imds.port()
                    + "/latest/meta-data/network/interfaces/macs/" + MAC + "/local-ipv4s")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
        }
    }
}
