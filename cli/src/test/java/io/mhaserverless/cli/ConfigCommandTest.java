package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/** {@code mha config show | add-server | remove-server} on a file, on FakeAws's Parameter Store, and on a live sandbox. */
class ConfigCommandTest {

    private static final String APP1 = """
            cluster: app1
            user: admin
            password: "0123"
            servers:
              - name: db1
                host: 10.0.1.11
              - name: db2
                host: 10.0.1.12
                candidateMaster: true
            """;

    @TempDir
    Path dir;

    private final Supplier<SsmClient> realSsm = ConfigCommand.ssm;

    @AfterEach
    void restore() {
        ConfigCommand.ssm = realSsm;
    }

    @Test
    void showValidatesAndMasksThePassword() throws IOException {
        Path file = Files.writeString(dir.resolve("app1.yaml"), APP1);
        CliRun run = CliRun.of("config", "show", "--config", file.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("password: '***'").contains("name: db2").doesNotContain("0123");

        Files.writeString(file, APP1.replace("host: 10.0.1.12", "hots: 10.0.1.12"));
        CliRun bad = CliRun.of("config", "show", "--config", file.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(file + ":8: servers[1].hots: unknown key");
        assertThat(bad.err()).startsWith("mha config show: ");
    }

    @Test
    void addServerWritesAValidConfigAndKeepsEverythingElse() throws IOException {
        Path file = Files.writeString(dir.resolve("app1.yaml"), APP1);
        CliRun run = CliRun.of("config", "add-server", "--config", file.toString(), "--name", "db3", "--host", "10.0.1.13",
                "--port", "3307", "--no-master", "--binlog-dir", "/var/lib/mysql");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("added db3(10.0.1.13:3307) to " + file);

        ClusterConfig config = ConfigLoader.load(file);
        assertThat(config.servers()).extracting(ServerConfig::name).containsExactly("db1", "db2", "db3");
        assertThat(config.server("db3").get().noMaster()).isTrue();
        assertThat(config.server("db3").get().port()).isEqualTo(3307);
        assertThat(config.credentials().password()).contains("0123");
    }

    @Test
    void addServerRefusesWhatTheLoaderRefusesAndChangesNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("app1.yaml"), APP1);
        CliRun dup = CliRun.of("config", "add-server", "--config", file.toString(), "--name", "db2", "--host", "10.0.1.14");
        assertThat(dup.exit()).isEqualTo(2);
        assertThat(dup.err()).contains("duplicate server name 'db2'");

        CliRun both = CliRun.of("config", "add-server", "--config", file.toString(), "--name", "db3", "--host", "10.0.1.13",
                "--candidate-master", "--no-master");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("cannot be both candidateMaster and noMaster");

        CliRun host = CliRun.of("config", "add-server", "--config", file.toString(), "--name", "db3", "--host", "a,b");
        assertThat(host.exit()).isEqualTo(2);
        assertThat(host.err()).contains("not a host name or IP address: 'a,b'");
        assertThat(Files.readString(file)).isEqualTo(APP1);
    }

    @Test
    void aRewriteThatWouldChangeAValueIsRefused() throws IOException {
        // unquoted, YAML reads 0123 as a number; our loader keeps the text, a rewrite would not
        String risky = APP1.replace("password: \"0123\"", "password: 0123");
        Path file = Files.writeString(dir.resolve("app1.yaml"), risky);
        CliRun run = CliRun.of("config", "add-server", "--config", file.toString(), "--name", "db3", "--host", "10.0.1.13");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("rewriting this config would change more than the edit");
        assertThat(Files.readString(file)).isEqualTo(risky);
    }

    @Test
    void removeServerOnParameterStoreWithTheMasterNamed() {
        try (FakeAws aws = FakeAws.start()) {
            ConfigCommand.ssm = () -> SsmClient.builder().region(Region.US_EAST_1).endpointOverride(aws.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x"))).build();
            String three = APP1.replace("password: \"0123\"", "credentialsSecret: mha/app1/admin") + "  - name: db3\n    host: 10.0.1.13\n";
            aws.ssm().putParameter("/mha/clusters/app1", three, "SecureString");

            CliRun master = CliRun.of("config", "remove-server", "--parameter", "/mha/clusters/app1", "--name", "db1",
                    "--current-master", "db1");
            assertThat(master.exit()).isEqualTo(2);
            assertThat(master.err()).contains("db1 is the current master");
            assertThat(aws.ssm().parameter("/mha/clusters/app1")).contains(three);

            // the secret cannot be read here, so discovery cannot run: the operator must say which one is the master
            CliRun unknown = CliRun.of("config", "remove-server", "--parameter", "/mha/clusters/app1", "--name", "db3");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("cannot tell which server is the master").contains("--current-master");

            CliRun run = CliRun.of("config", "remove-server", "--parameter", "/mha/clusters/app1", "--name", "db3",
                    "--current-master", "db1");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("removed db3(10.0.1.13:3306) from /mha/clusters/app1 (version 2)");
            ClusterConfig config = ConfigLoader.parseYaml(aws.ssm().parameter("/mha/clusters/app1").get(), "ssm");
            assertThat(config.servers()).extracting(ServerConfig::name).containsExactly("db1", "db2");
            assertThat(aws.calls("PutParameter")).hasSize(1);

            CliRun shown = CliRun.of("config", "show", "--parameter", "/mha/clusters/app1");
            assertThat(shown.out()).contains("credentialsSecret: mha/app1/admin").doesNotContain("db3");

            // two servers is the minimum
            CliRun last = CliRun.of("config", "remove-server", "--parameter", "/mha/clusters/app1", "--name", "db2",
                    "--current-master", "db1");
            assertThat(last.exit()).isEqualTo(2);
            assertThat(last.err()).contains("a cluster needs at least 2 servers");

            CliRun missing = CliRun.of("config", "show", "--parameter", "/mha/clusters/nope");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("SSM parameter /mha/clusters/nope does not exist");
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void removingTheDiscoveredMasterIsRefused(Sandbox sandbox) throws IOException {
        Path file = SandboxConfig.write(dir.resolve("test.yaml"), "test", sandbox);
        String before = Files.readString(file);

        CliRun master = CliRun.of("config", "remove-server", "--config", file.toString(), "--name", "db1");
        assertThat(master.exit()).isEqualTo(2);
        assertThat(master.err()).contains("db1 is the current master");
        assertThat(Files.readString(file)).isEqualTo(before);

        CliRun replica = CliRun.of("config", "remove-server", "--config", file.toString(), "--name", "db3");
        assertThat(replica.exit()).as(replica.toString()).isZero();
        assertThat(replica.out()).contains("(the master is db1)");
        assertThat(ConfigLoader.load(file).servers()).extracting(ServerConfig::name).containsExactly("db1", "db2");
    }
}
