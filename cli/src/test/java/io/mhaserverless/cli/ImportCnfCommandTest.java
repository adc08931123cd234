package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MHA's own sample and test configurations (src/test/resources/mha4mysql-samples, see ORIGIN.md)
 * through {@code mha import-cnf}; the sample app1.cnf, pointed at a sandbox of the same shape,
 * then passes {@code mha check-repl}.
 */
class ImportCnfCommandTest {

    @TempDir
    Path dir;

    static String sample(String name) throws IOException {
        try (InputStream in = ImportCnfCommandTest.class.getResourceAsStream("/mha4mysql-samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void mhaSampleAppWithItsGlobalDefaultsImports() throws IOException {
        Path app = write("app1.cnf", sample("app1.cnf"));
        Path defaults = write("masterha_default.cnf", sample("masterha_default.cnf"));
        Path yaml = dir.resolve("app1.yaml");

        CliRun run = CliRun.of("import-cnf", app.toString(), "--defaults", defaults.toString(), "-o", yaml.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        ClusterConfig config = ConfigLoader.load(yaml);
        assertThat(config.cluster()).isEqualTo("app1");
        assertThat(config.servers()).extracting(ServerConfig::name).containsExactly("server1", "server2", "server3", "server4");
        assertThat(config.servers()).extracting(ServerConfig::host).containsExactly("host1", "host2", "host3", "host4");
        assertThat(config.servers()).extracting(ServerConfig::candidateMaster).containsExactly(true, true, false, false);
        assertThat(config.servers()).extracting(ServerConfig::noMaster).containsExactly(false, false, false, true);
        assertThat(config.servers()).allSatisfy(s -> assertThat(s.binlogDir()).contains("/var/lib/mysql"));
        assertThat(config.credentials().user()).isEqualTo("root");
        assertThat(config.credentials().secretId()).contains("mha/app1/admin");
        assertThat(config.credentials().password()).isEmpty();
        assertThat(config.secondaryCheck()).isTrue();
        assertThat(config.pingInterval()).hasSeconds(3);

        // the password is in no output: not the YAML, not stdout, not stderr
        assertThat(Files.readString(yaml)).doesNotContain("rootpass");
        assertThat(run.out() + run.err()).doesNotContain("rootpass");
        assertThat(run.out()).contains("aws secretsmanager create-secret --name mha/app1/admin --secret-string file:///dev/stdin");

        // one stderr line for each parameter that is not in the YAML, naming file, line and key
        List<String> err = run.errLines();
        assertThat(err).allSatisfy(l -> assertThat(l).startsWith("import-cnf: "));
        assertThat(err).anySatisfy(l -> assertThat(l).contains("app1.cnf:2: manager_workdir: not needed"));
        assertThat(err).anySatisfy(l -> assertThat(l).contains("app1.cnf:3: manager_log: not needed"));
        assertThat(err).anySatisfy(l -> assertThat(l).contains("masterha_default.cnf:4: ssh_user: not needed"));
        assertThat(err).anySatisfy(l -> assertThat(l).contains("masterha_default.cnf:6: remote_workdir: not needed"));
        assertThat(err).anySatisfy(l -> assertThat(l).contains("masterha_default.cnf:5: master_binlog_dir: only the first directory"));
        assertThat(err).filteredOn(l -> l.contains("manager_workdir")).hasSize(1);
    }

    static Stream<String> mhaTestConfigs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/mha4mysql-samples/tests-t"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** The ones that cannot come over as they are, and what the operator is told. */
    private static final java.util.Map<String, String> REFUSED = java.util.Map.of(
            // MHA's own negative test: one server
            "mha_test_err2.cnf.tmpl", ":1: [server*]: a cluster needs at least 2 server blocks, found 1",
            // one admin account per cluster here; MHA let each server block have its own
            "mha_test_nopass.cnf.tmpl", ":34: user: not supported: [server4] has another user than [server1]: a cluster "
                    + "has one admin account here; give it once in [server default]",
            "mha_test_online_pass.cnf.tmpl", ":31: user: not supported: [server3] has another user than [server1]: a cluster "
                    + "has one admin account here; give it once in [server default]");

    /** MHA's test suite's configs, with its placeholders filled in as its run script does. */
    @ParameterizedTest
    @MethodSource("mhaTestConfigs")
    void everyMhaTestConfigImports(String name) throws IOException {
        String text = sample("tests-t/" + name).replace("##SANDBOX_HOME##", "/home/sandbox").replace("##VERSION_DIR##", "5_7_21")
                .replace("##CLIENT_BINDIR##", "client_bindir=/usr/bin").replace("##CLIENT_LIBDIR##", "");
        Path app = write(name.replace(".tmpl", ""), text);

        CliRun run = CliRun.of("import-cnf", app.toString());

        String refused = REFUSED.get(name);
        if (refused != null) {
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("mha import-cnf: " + app + refused);
            assertThat(run.err()).doesNotContain("msandbox");
            return;
        }
        assertThat(run.exit()).as(run.toString()).isZero();
        ClusterConfig config = ConfigLoader.parseYaml(run.out(), name);
        assertThat(config.servers()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(run.out()).doesNotContain("msandbox");
        assertThat(run.err()).doesNotContain("msandbox");
        assertThat(run.err()).contains("client_bindir: not needed");
    }

    @Test
    void anUnknownKeyNamesFileLineAndKey() throws IOException {
        Path app = write("app1.cnf", "[server default]\nuser=root\nping_intervall=3\n[server1]\nhostname=a\n[server2]\nhostname=b\n");
        CliRun run = CliRun.of("import-cnf", app.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("mha import-cnf: " + app + ":3: ping_intervall: not an MHA parameter (MHA 0.58 aborts on it too)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadValueNamesFileLineAndKey() throws IOException {
        Path app = write("app1.cnf", "[server default]\n[server1]\nhostname=a\ncandidate_master=yes\n[server2]\nhostname=b\n");
        CliRun run = CliRun.of("import-cnf", app.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(app + ":4: candidate_master: must be 0 or 1, not 'yes'");

        Path ping = write("app2.cnf", "[server default]\nping_interval=3s\n[server1]\nhostname=a\n[server2]\nhostname=b\n");
        assertThat(CliRun.of("import-cnf", ping.toString()).err()).contains(ping + ":2: ping_interval: must be a whole number");

        Path type = write("app3.cnf", "[server default]\nping_type=tcp\n[server1]\nhostname=a\n[server2]\nhostname=b\n");
        assertThat(CliRun.of("import-cnf", type.toString()).err()).contains(type + ":2: ping_type: must be SELECT, CONNECT or INSERT");
    }

    @Test
    void aMissingServerDefaultBlockIsAnError() throws IOException {
        Path app = write("app1.cnf", "[server1]\nhostname=a\n[server2]\nhostname=b\n");
        CliRun run = CliRun.of("import-cnf", app.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(app + ":1: [server default]: missing");
    }

    @Test
    void anotherAccountPerServerIsRefusedWithoutShowingThePassword() throws IOException {
        Path app = write("app1.cnf", "[server default]\npassword=s3cret\n[server1]\nhostname=a\n[server2]\nhostname=b\npassword=other\n");
        CliRun run = CliRun.of("import-cnf", app.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(app + ":7: password: not supported").doesNotContain("s3cret").doesNotContain("other'");
    }

    @Test
    void theWriterIpReplacesTheIpScripts() throws IOException {
        String text = "[server default]\nmaster_ip_failover_script=/opt/mip\nrepl_user=repl\nrepl_password=r\n"
                + "[server1]\nhostname=a\n[server2]\nhostname=b\n";
        Path app = write("app1.cnf", text);
        CliRun without = CliRun.of("import-cnf", app.toString());
        assertThat(without.err()).contains(app + ":2: master_ip_failover_script: needs --writer-ip");

        CliRun with = CliRun.of("import-cnf", app.toString(), "--writer-ip", "10.0.1.50");
        ClusterConfig config = ConfigLoader.parseYaml(with.out(), "app1.yaml");
        assertThat(config.writerIp().address()).contains("10.0.1.50");
        assertThat(config.replicationCredentials().get().secretId()).contains("mha/app1/replication");
        assertThat(with.err()).doesNotContain("master_ip_failover_script");
    }

    /**
     * MHA's sample app1.cnf and masterha_default.cnf, pointed at a running sandbox of the same shape
     * (four servers, as MHA's own test suite points its configs at its sandbox): the imported config
     * passes check-repl. The YAML names a Secrets Manager secret, which the local runtime does not
     * read, so the test swaps it for the sandbox's password as an operator would for a local run.
     */
    @Test
    @MariaDbTopology(replicas = 3)
    void theImportedSampleConfigPassesCheckRepl(Sandbox sandbox) throws IOException {
        String app = sample("app1.cnf");
        for (int i = 1; i <= 4; i++) {
            ServerNode n = sandbox.nodes().get(i - 1);
            app = app.replace("hostname=host" + i + "\n", "hostname=" + n.host() + "\nport=" + n.port()
                    + "\nmaster_binlog_dir=" + n.dataDir() + "\n");
        }
        String defaults = sample("masterha_default.cnf")
                .replace("user=root", "user=" + SandboxCredentials.ADMIN_USER)
                .replace("password=rootpass", "password=" + SandboxCredentials.ADMIN_PASSWORD);
        Path yaml = dir.resolve("app1.yaml");
        CliRun imported = CliRun.of("import-cnf", write("app1.cnf", app).toString(),
                "--defaults", write("masterha_default.cnf", defaults).toString(), "-o", yaml.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();

        String local = Files.readString(yaml).replace("credentialsSecret: mha/app1/admin", "password: " + SandboxCredentials.ADMIN_PASSWORD);
        assertThat(local).isNotEqualTo(Files.readString(yaml));
        Files.writeString(yaml, local);
        CliRun check = CliRun.of("check-repl", "--config", yaml.toString());

        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(check.out()).contains("Replication health is OK.");
    }
}
