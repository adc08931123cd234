package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.testbed.TestCertificates;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration a failover started with, carried between its steps: whole, comparable, and without secrets. */
class PinnedConfigTest {

    private static final String YAML = """
            cluster: app1
            user: admin
            password: s3cret-password
            replicationUser: repl
            replicationPassword: repl-s3cret
            pingInterval: 2s
            checkReplDelayBytes: 5000
            writerIp: {mode: eni, address: 10.0.1.50}
            servers:
              - {name: db1, host: 10.0.1.11, instanceId: i-0123456789abcdef0, binlogDir: /var/lib/mysql}
              - {name: db2, host: 10.0.1.12, port: 3307, candidateMaster: true}
              - {name: db3, host: 10.0.1.13, noMaster: true, ignoreFail: true}
            """;

    @Test
    void roundTripsThroughTheDocumentsJsonWithTheAccountsOfNow() throws Exception {
        ClusterConfig config = ConfigLoader.parseYaml(YAML, "app1.yaml");
        PinnedConfig pinned = PinnedConfig.of(config);

        String json = FailoverWorkflow.json().writeValueAsString(pinned);
        PinnedConfig back = FailoverWorkflow.json().readValue(json, PinnedConfig.class);

        assertThat(json).doesNotContain("s3cret").doesNotContain("admin").doesNotContain("repl");
        assertThat(back).isEqualTo(pinned);
        assertThat(back.toConfig(config.credentials(), config.replicationCredentials())).isEqualTo(config);
    }

    @Test
    void theDigestChangesWithTheServersButNotWithTheAccounts() {
        PinnedConfig pinned = PinnedConfig.of(ConfigLoader.parseYaml(YAML, "app1.yaml"));
        assertThat(PinnedConfig.of(ConfigLoader.parseYaml(YAML, "app1.yaml")).digest()).isEqualTo(pinned.digest());
        assertThat(PinnedConfig.of(ConfigLoader.parseYaml(YAML.replace("s3cret-password", "rotated"), "app1.yaml")).digest())
                .isEqualTo(pinned.digest());
        assertThat(PinnedConfig.of(ConfigLoader.parseYaml(YAML.replace("candidateMaster: true", "noMaster: true"), "app1.yaml"))
                .digest()).isNotEqualTo(pinned.digest());
        assertThat(pinned.digest()).hasSize(64);
    }

    @Test
    void aServerRemovedFromTheConfigIsNamedNotNoSuchElement() {
        ClusterConfig config = ConfigLoader.parseYaml(YAML, "app1.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.requireServer("db9"))
                .isInstanceOf(io.mhaserverless.core.config.ConfigException.class)
                .hasMessage("server 'db9' is no longer in the configuration of cluster app1 (edited during the failover?)");
    }

    @Test
    void theTlsSettingsArePinnedAndChangeTheDigest(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        ClusterConfig verifying = ConfigLoader.parseYaml(YAML + "tls: {mode: VERIFY_IDENTITY, ca: " + certificates.ca() + "}\n", "app1.yaml");
        PinnedConfig pinned = PinnedConfig.of(verifying);

        PinnedConfig back = FailoverWorkflow.json().readValue(FailoverWorkflow.json().writeValueAsString(pinned), PinnedConfig.class);

        assertThat(back.toConfig(verifying.credentials(), verifying.replicationCredentials()).tls())
                .isEqualTo(new TlsConfig(TlsConfig.Mode.VERIFY_IDENTITY, Optional.of(certificates.ca().toString())));
        assertThat(pinned.digest()).isNotEqualTo(PinnedConfig.of(ConfigLoader.parseYaml(YAML, "app1.yaml")).digest());
        assertThat(PinnedConfig.of(ConfigLoader.parseYaml(YAML + "tls: {mode: REQUIRED}\n", "app1.yaml")).digest())
                .isNotEqualTo(PinnedConfig.of(ConfigLoader.parseYaml(YAML + "tls: {mode: DISABLED}\n", "app1.yaml")).digest());
    }

    @Test
    void aDocumentPinnedBeforeTlsExistedConnectsWithTheDefault() throws Exception {
        ClusterConfig config = ConfigLoader.parseYaml(YAML, "app1.yaml");
        ObjectNode json = FailoverWorkflow.json().valueToTree(PinnedConfig.of(config));
        json.remove("tlsMode");
        json.remove("tlsCa");

        PinnedConfig old = FailoverWorkflow.json().treeToValue(json, PinnedConfig.class);

        assertThat(old.toConfig(config.credentials(), config.replicationCredentials()).tls()).isEqualTo(TlsConfig.preferred());
    }
}
