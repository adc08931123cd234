package io.mhaserverless.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import io.mhaserverless.testbed.TestCertificates;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    /** ARCHITECTURE.md §4's minimal form. */
    private static final String MINIMAL_YAML = """
            cluster: app1
            user: admin
            password: admin
            replicationUser: repl
            replicationPassword: repl
            pingInterval: 1s
            servers:
              - name: db1
                host: 10.0.1.11
                port: 3306
                instanceId: i-0123456789abcdef0
                binlogDir: /var/lib/mysql
              - name: db2
                host: 10.0.1.12
                candidateMaster: true
              - name: db3
                host: 10.0.1.13
                noMaster: true
            writerIp: { mode: eni, address: 10.0.1.50 }
            """;

    private static final String MINIMAL_JSON = """
            {
              "cluster": "app1",
              "user": "admin",
              "password": "admin",
              "replicationUser": "repl",
              "replicationPassword": "repl",
              "pingInterval": "1s",
              "servers": [
                {"name": "db1", "host": "10.0.1.11", "port": 3306, "instanceId": "i-0123456789abcdef0",
                 "binlogDir": "/var/lib/mysql"},
                {"name": "db2", "host": "10.0.1.12", "candidateMaster": true},
                {"name": "db3", "host": "10.0.1.13", "noMaster": true}
              ],
              "writerIp": {"mode": "eni", "address": "10.0.1.50"}
            }
            """;

    /** Two servers and nothing else: every default applies. */
    private static final String BARE = """
            cluster: app1
            servers:
              - name: db1
                host: 10.0.1.11
              - name: db2
                host: 10.0.1.12
            """;

    private static ClusterConfig yaml(String text) {
        return ConfigLoader.parseYaml(text, "app1.yaml");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> yamlError(String text) {
        return assertThatThrownBy(() -> yaml(text)).isInstanceOf(ConfigException.class);
    }

    @Nested
    class Loading {

        @Test
        void theMinimalYamlOfTheArchitectureLoads() {
            ClusterConfig c = yaml(MINIMAL_YAML);

            assertThat(c.cluster()).isEqualTo("app1");
            assertThat(c.credentials()).isEqualTo(new Credentials("admin", Optional.of("admin"), Optional.empty()));
            assertThat(c.replicationCredentials()).contains(new Credentials("repl", Optional.of("repl"), Optional.empty()));
            assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(c.servers()).containsExactly(
                    new ServerConfig("db1", "10.0.1.11", 3306, false, false, false, Optional.of("i-0123456789abcdef0"),
                            Optional.of("/var/lib/mysql")),
                    new ServerConfig("db2", "10.0.1.12", 3306, true, false, false, Optional.empty(), Optional.empty()),
                    new ServerConfig("db3", "10.0.1.13", 3306, false, true, false, Optional.empty(), Optional.empty()));
            assertThat(c.writerIp()).isEqualTo(new WriterIpConfig(WriterIpConfig.Mode.ENI, Optional.of("10.0.1.50")));
        }

        @Test
        void theSameConfigInAJsonFileLoadsTheSame(@TempDir Path dir) throws IOException {
            Path json = dir.resolve("app1.json");
            Files.writeString(json, MINIMAL_JSON);

            assertThat(ConfigLoader.load(json)).isEqualTo(yaml(MINIMAL_YAML));
        }

        @Test
        void aYamlFileLoadsThroughLoad(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("app1.yaml");
            Files.writeString(file, MINIMAL_YAML);

            assertThat(ConfigLoader.load(file)).isEqualTo(yaml(MINIMAL_YAML));
        }

        @Test
        void everythingLeftOutTakesMhasDefaults() {
            ClusterConfig c = yaml(BARE);

            assertThat(c.credentials()).isEqualTo(new Credentials("root", Optional.empty(), Optional.empty()));
            assertThat(c.replicationCredentials()).isEmpty();
            assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.pingType()).isEqualTo(PingType.SELECT);
            assertThat(c.pingFailures()).isEqualTo(4);
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.secondsBehindMaster()).isEqualTo(30);
            assertThat(c.checkReplDelay()).isTrue();
            assertThat(c.checkReplDelayBytes()).isEqualTo(100_000_000);
            assertThat(c.checkReplFilter()).isTrue();
            assertThat(c.latestPriority()).isTrue();
            assertThat(c.multiTierSlave()).isFalse();
            assertThat(c.lastFailoverMinutes()).isEqualTo(480);
            assertThat(c.writerIp()).isEqualTo(WriterIpConfig.none());
            assertThat(c.deadMasterGrace()).as("MHA fails over at once").isZero();
            assertThat(c.secondaryCheck()).isFalse();
            assertThat(c.servers()).allSatisfy(s -> {
                assertThat(s.port()).isEqualTo(3306);
                assertThat(s.candidateMaster()).isFalse();
                assertThat(s.noMaster()).isFalse();
                assertThat(s.ignoreFail()).isFalse();
                assertThat(s.instanceId()).isEmpty();
                assertThat(s.binlogDir()).isEmpty();
            });
        }

        @Test
        void theProbesConfirmationSettingsAreRead() {
            ClusterConfig c = yaml("deadMasterGrace: 5s\nsecondaryCheck: true\n" + BARE);

            assertThat(c.deadMasterGrace()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.secondaryCheck()).isTrue();
            assertThat(yaml("deadMasterGrace: 0\n" + BARE).deadMasterGrace()).as("0 is allowed: no grace").isZero();
        }

        @Test
        void explicitValuesOverrideTheDefaults() {
            ClusterConfig c = yaml("""
                    cluster: app1
                    user: mha
                    credentialsSecret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:app1-mha
                    pingInterval: 500ms
                    pingType: connect
                    pingFailures: 6
                    connectTimeout: 5
                    secondsBehindMaster: 120
                    checkReplDelay: false
                    checkReplFilter: false
                    latestPriority: false
                    multiTierSlave: true
                    lastFailoverMinutes: 0
                    writerIp: { mode: local }
                    servers:
                      - name: db1
                        host: 10.0.1.11
                        port: 3307
                        ignoreFail: 1
                      - name: db2
                        host: 10.0.1.12
                        candidateMaster: 1
                        noMaster: 0
                    """);

            assertThat(c.credentials()).isEqualTo(new Credentials("mha", Optional.empty(),
                    Optional.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app1-mha")));
            assertThat(c.pingInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(c.pingType()).isEqualTo(PingType.CONNECT);
            assertThat(c.pingFailures()).isEqualTo(6);
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.secondsBehindMaster()).isEqualTo(120);
            assertThat(c.checkReplDelay()).isFalse();
            assertThat(c.checkReplFilter()).isFalse();
            assertThat(c.latestPriority()).isFalse();
            assertThat(c.multiTierSlave()).isTrue();
            assertThat(c.lastFailoverMinutes()).isZero();
            assertThat(c.writerIp()).isEqualTo(new WriterIpConfig(WriterIpConfig.Mode.LOCAL, Optional.empty()));
            assertThat(c.servers().get(0).port()).isEqualTo(3307);
            assertThat(c.servers().get(0).ignoreFail()).as("MHA's 0/1").isTrue();
            assertThat(c.servers().get(1).candidateMaster()).isTrue();
            assertThat(c.servers().get(1).noMaster()).isFalse();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "500ms   | PT0.5S",
                "2m      | PT2M",
                "5       | PT5S",
                "'''5''' | PT5S",
                "1h      | PT1H",
                "3 s     | PT3S",
                "30s     | PT30S"})
        void durationsTakeMsSMOrHAndABareNumberIsSeconds(String written, String expected) {
            ClusterConfig c = yaml("pingInterval: " + written + "\n" + BARE);

            assertThat(c.pingInterval()).isEqualTo(Duration.parse(expected));
        }

        @Test
        void numbersInTextFieldsAreKeptAsWritten() {
            ClusterConfig c = yaml("""
                    cluster: 2024
                    password: 0123
                    replicationUser: 1_000
                    replicationPassword: 0x1F
                    servers:
                      - name: db1
                        host: 10.0.1.11
                        binlogDir: 1.50
                      - name: db2
                        host: 10.0.1.12
                    """);

            assertThat(c.cluster()).isEqualTo("2024");
            assertThat(c.credentials().password()).contains("0123");
            assertThat(c.replicationCredentials()).contains(new Credentials("1_000", Optional.of("0x1F"), Optional.empty()));
            assertThat(c.servers().get(0).binlogDir()).contains("1.50");
        }

        @Test
        void theConfigFindsServersByNameAndByAddress() {
            ClusterConfig c = yaml(MINIMAL_YAML);

            assertThat(c.server("db2")).map(ServerConfig::host).contains("10.0.1.12");
            assertThat(c.server("db9")).isEmpty();
            assertThat(c.serverAt("10.0.1.13", 3306)).map(ServerConfig::name).contains("db3");
            assertThat(c.serverAt("10.0.1.13", 3307)).isEmpty();
            assertThat(c.servers().get(0).label()).isEqualTo("db1(10.0.1.11:3306)");
            assertThat(c.servers().get(0)).hasToString("db1(10.0.1.11:3306)");
            assertThat(c.servers().get(0).address()).isEqualTo("10.0.1.11:3306");
        }

        @Test
        void credentialsNeverPrintThePassword() {
            ClusterConfig c = yaml(MINIMAL_YAML.replace("password: admin", "password: Hunter2pw"));

            assertThat(c.credentials()).hasToString("Credentials[user=admin, password=***]");
            assertThat(c.toString()).doesNotContain("Hunter2pw");
        }
    }

    @Nested
    class Errors {

        @Test
        void anUnknownTopLevelKeyIsNamedWithItsLineAndAHint() {
            yamlError("""
                    cluster: app1
                    pinginterval: 1s
                    servers: []
                    """).hasMessage("app1.yaml:2: pinginterval: unknown key (did you mean 'pingInterval'?)");
        }

        @Test
        void mhasSnakeCaseNamesGetTheCamelCaseHint() {
            yamlError("cluster: app1\n\nping_interval: 3\n")
                    .hasMessage("app1.yaml:3: ping_interval: unknown key (did you mean 'pingInterval'?)");
        }

        @Test
        void anUnknownKeyWithNothingLikeItHasNoHint() {
            yamlError("cluster: app1\nfoo: 1\n").hasMessage("app1.yaml:2: foo: unknown key");
        }

        @Test
        void anUnknownKeyWithASlashStillFindsItsLine() {
            yamlError("cluster: app1\nservers: []\n\"a/b\": 1\n").hasMessage("app1.yaml:3: a/b: unknown key");
        }

        @Test
        void anUnknownServerKeyIsNamedByItsPath() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        host: 10.0.1.12
                        prot: 3307
                    """).hasMessage("app1.yaml:7: servers[1].prot: unknown key");
        }

        @Test
        void aPortThatIsNotANumber() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                        port: abc
                      - name: db2
                        host: 10.0.1.12
                    """).hasMessage("app1.yaml:5: servers[0].port: must be a whole number ≥ 0, found text 'abc'");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0      | must be greater than 0",
                "70000  | not a TCP port: 70000",
                "-1     | must be a whole number ≥ 0, found number '-1'",
                "18446744073709551621 | must be a whole number ≥ 0, found number '18446744073709551621'"})
        void aPortOutOfRange(String port, String text) {
            yamlError("cluster: app1\nservers:\n  - name: db1\n    host: h1\n    port: " + port
                    + "\n  - name: db2\n    host: h2\n")
                    .hasMessage("app1.yaml:5: servers[0].port: " + text);
        }

        @Test
        void aNumberTooBigForALongIsRefusedNotWrapped() {
            yamlError("pingFailures: 18446744073709551621\n" + BARE)
                    .hasMessage("app1.yaml:1: pingFailures: must be a whole number ≥ 0, found number '18446744073709551621'");
        }

        @Test
        void aGraceWindowBeyondTenMinutesIsRefused() {
            yamlError("deadMasterGrace: 11m\n" + BARE)
                    .hasMessage("app1.yaml:1: deadMasterGrace: must be at most 10m, found 660s");
        }

        @Test
        void aSecondaryCheckThatIsNotABooleanIsRefused() {
            yamlError("secondaryCheck: sometimes\n" + BARE).hasMessageStartingWith("app1.yaml:1: secondaryCheck: ");
        }

        @Test
        void aPingFailureCountBeyondAThousandIsATypo() {
            yamlError("pingFailures: 3000000000\n" + BARE)
                    .hasMessage("app1.yaml:1: pingFailures: must be at most 1000, found 3000000000");
        }

        @Test
        void aQuotedYesIsNotABoolean() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        host: 10.0.1.12
                        candidateMaster: "yes"
                    """).hasMessage("app1.yaml:7: servers[1].candidateMaster: must be true or false, found text 'yes'");
        }

        @Test
        void aNumberOtherThan0Or1IsNotABoolean() {
            yamlError("checkReplDelay: 2\n" + BARE)
                    .hasMessage("app1.yaml:1: checkReplDelay: must be true or false, found number '2'");
        }

        @Test
        void serversMustBeAList() {
            yamlError("cluster: app1\nservers: db1\n").hasMessage("app1.yaml:2: servers: must be a list of servers");
            yamlError("cluster: app1\nservers:\n  db1: 10.0.1.11\n")
                    .hasMessage("app1.yaml:2: servers: must be a list of servers");
        }

        @Test
        void aServerMustBeAMapping() {
            yamlError("cluster: app1\nservers:\n  - db1\n  - db2\n")
                    .hasMessage("app1.yaml:3: servers[0]: must be a mapping of keys to values, found text 'db1'");
        }

        @Test
        void anEmptyServerEntrySaysItIsEmpty() {
            yamlError("cluster: app1\nservers:\n  - name: db1\n    host: h1\n  -\n")
                    .hasMessage("app1.yaml:5: servers[1]: must be a mapping of keys to values, found nothing");
        }

        @Test
        void aDuplicateServerNameNamesBothLines() {
            yamlError("""
                    cluster: app1
                    servers:
                      - host: 10.0.1.11
                        name: db1
                      - name: db2
                        host: 10.0.1.12
                      - name: db1
                        host: 10.0.1.13
                    """).hasMessage("app1.yaml:7: servers[2].name: duplicate server name 'db1' (first at line 4)");
        }

        @Test
        void aDuplicateHostAndPortNamesBothServers() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        host: 10.0.1.12
                      - name: db3
                        port: 3306
                        host: 10.0.1.11
                    """).hasMessage("app1.yaml:9: servers[2].host: servers 'db1' (line 4) and 'db3' have the same"
                    + " host:port 10.0.1.11:3306");
        }

        @Test
        void theSameHostOnAnotherPortIsAnotherServer() {
            ClusterConfig c = yaml(BARE.replace("host: 10.0.1.12", "host: 10.0.1.11\n    port: 3307"));

            assertThat(c.servers()).extracting(ServerConfig::address).containsExactly("10.0.1.11:3306", "10.0.1.11:3307");
        }

        @Test
        void aServerCannotBeBothCandidateAndNoMaster() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                        candidateMaster: true
                        noMaster: true
                      - name: db2
                        host: 10.0.1.12
                    """).hasMessage("app1.yaml:6: servers[0].noMaster: server 'db1' cannot be both candidateMaster and noMaster");
        }

        @Test
        void oneServerIsNotACluster() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                    """).hasMessage("app1.yaml:2: servers: a cluster needs at least 2 servers, found 1");
        }

        @Test
        void noServersAtAll() {
            yamlError("cluster: app1\nuser: admin\n").hasMessage("app1.yaml:1: servers: missing: a cluster needs at least 2 servers");
        }

        @Test
        void theClusterNameIsRequired() {
            yamlError("""
                    user: admin
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        host: 10.0.1.12
                    """).hasMessage("app1.yaml:1: cluster: missing");
        }

        @Test
        void aNameMustBeAName() {
            yamlError(BARE.replace("name: db2", "name: db 2"))
                    .hasMessage("app1.yaml:5: servers[1].name: 'db 2' is not a name (" + Names.RULE + ")");
        }

        @ParameterizedTest
        @ValueSource(strings = {"db1,db2", "db1/app", "'db1?useSSL=false'", "'a b'"})
        void aHostTheDriversUrlWouldMisreadIsRefused(String host) {
            yamlError(BARE.replace("host: 10.0.1.12", "host: " + host))
                    .hasMessage("app1.yaml:6: servers[1].host: not a host name or IP address: '" + host.replace("'", "") + "'");
        }

        @Test
        void aServerWithoutHostIsNamed() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        port: 3307
                    """).hasMessage("app1.yaml:5: servers[1].host: missing (server 'db2')");
        }

        @Test
        void passwordAndCredentialsSecretTogetherAreRefused() {
            yamlError("""
                    cluster: app1
                    password: admin
                    credentialsSecret: app1/mha
                    servers: []
                    """).hasMessage("app1.yaml:3: credentialsSecret: give either password or credentialsSecret, not both");
        }

        @Test
        void aReplicationPasswordNeedsAReplicationUser() {
            yamlError("replicationPassword: repl\n" + BARE)
                    .hasMessage("app1.yaml:1: replicationPassword: replicationUser is missing");
        }

        @Test
        void aReplicationSecretNeedsAReplicationUserAndNoPassword() {
            yamlError("replicationCredentialsSecret: mha/app1/replication\n" + BARE)
                    .hasMessage("app1.yaml:1: replicationCredentialsSecret: replicationUser is missing");
            yamlError("replicationUser: repl\nreplicationPassword: r\nreplicationCredentialsSecret: mha/app1/replication\n" + BARE)
                    .hasMessage("app1.yaml:3: replicationCredentialsSecret: give either replicationPassword or "
                            + "replicationCredentialsSecret, not both");
            ClusterConfig ok = ConfigLoader.parseYaml("replicationUser: repl\nreplicationCredentialsSecret: mha/app1/replication\n" + BARE, "app1.yaml");
            assertThat(ok.replicationCredentials().get().secretId()).contains("mha/app1/replication");
            assertThat(ok.replicationCredentials().get().password()).isEmpty();
        }

        @Test
        void writerIpModeEniNeedsAnAddress() {
            yamlError(BARE + "writerIp:\n  mode: eni\n")
                    .hasMessage("app1.yaml:7: writerIp.address: missing: mode eni needs the secondary private IP to move");
        }

        @Test
        void writerIpModeMustBeKnown() {
            yamlError(BARE + "writerIp:\n  mode: vip\n  address: 10.0.1.50\n")
                    .hasMessage("app1.yaml:8: writerIp.mode: must be eni, local or none, not 'vip'");
        }

        @Test
        void writerIpMustBeAMapping() {
            yamlError(BARE + "writerIp: eni\n")
                    .hasMessage("app1.yaml:7: writerIp: must be a mapping of keys to values, found text 'eni'");
        }

        @Test
        void anUnknownPingTypeIsRefused() {
            yamlError("pingType: tcp\n" + BARE)
                    .hasMessage("app1.yaml:1: pingType: must be SELECT, CONNECT or INSERT, not 'tcp'");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "3x                     | text '3x'",
                "1.5                    | number '1.5'",
                "-1                     | number '-1'",
                "true                   | boolean 'true'",
                "99999999999999999999s  | text '99999999999999999999s'"})
        void aBadDurationIsRefused(String written, String found) {
            yamlError(BARE + "pingInterval: " + written + "\n")
                    .hasMessage("app1.yaml:7: pingInterval: must be a duration such as 500ms, 3s, 2m"
                            + " (a bare number means seconds), found " + found);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0ms", "0s"})
        void aZeroDurationIsRefused(String written) {
            yamlError(BARE + "connectTimeout: " + written + "\n")
                    .hasMessage("app1.yaml:7: connectTimeout: must be longer than 0");
        }

        @Test
        void aDuplicateTopLevelKeyIsRefused() {
            yamlError("""
                    cluster: app1
                    user: admin
                    user: other
                    """).hasMessage("app1.yaml:3: user: duplicate key");
        }

        @Test
        void aDuplicateKeyInsideAServerIsNamedByItsPath() {
            yamlError("""
                    cluster: app1
                    servers:
                      - name: db1
                        host: 10.0.1.11
                      - name: db2
                        port: 3307
                        host: 10.0.1.12
                        port: 3308
                    """).hasMessage("app1.yaml:8: servers[1].port: duplicate key");
        }

        @Test
        void aDuplicateKeyInJsonIsRefusedToo(@TempDir Path dir) throws IOException {
            Path json = dir.resolve("app1.json");
            Files.writeString(json, "{\n  \"cluster\": \"app1\",\n  \"cluster\": \"app2\"\n}\n");

            assertThatThrownBy(() -> ConfigLoader.load(json)).isInstanceOf(ConfigException.class)
                    .hasMessage(json + ":3: cluster: duplicate key");
        }

        @Test
        void aYamlSyntaxErrorGivesTheLineAndTheParsersComplaint() {
            yamlError("""
                    cluster: app1
                    servers: [db1, db2
                    user: admin
                    """).hasMessageStartingWith("app1.yaml:3: ").hasMessageContaining("expected ',' or ']'");
        }

        @Test
        void aJsonSyntaxErrorGivesTheLine(@TempDir Path dir) throws IOException {
            Path json = dir.resolve("app1.json");
            Files.writeString(json, "{\n  \"cluster\": \"app1\",\n  \"servers\": [\n}\n");

            assertThatThrownBy(() -> ConfigLoader.load(json)).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(json + ":4: ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\n\n", "# nothing but a comment\n", "---\n"})
        void anEmptyFileIsRefused(String text) {
            yamlError(text).hasMessage("app1.yaml:1: the config is empty");
        }

        @Test
        void aConfigThatIsNotAMappingIsRefused() {
            yamlError("just some text\n")
                    .hasMessage("app1.yaml:1: the config: must be a mapping of keys to values, found text 'just some text'");
            yamlError("- a\n- b\n").hasMessage("app1.yaml:1: the config: must be a mapping of keys to values, found a list");
        }

        @Test
        void aMissingFileIsNamed(@TempDir Path dir) {
            Path missing = dir.resolve("nope.yaml");

            assertThatThrownBy(() -> ConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                    .hasMessage(missing + ": no such file");
        }

        @Test
        void jsonErrorsCarryTheJsonLine(@TempDir Path dir) throws IOException {
            Path json = dir.resolve("app1.json");
            Files.writeString(json, MINIMAL_JSON.replace("\"host\": \"10.0.1.12\",", "\"host\": \"10.0.1.12\", \"prot\": 1,"));

            assertThatThrownBy(() -> ConfigLoader.load(json)).isInstanceOf(ConfigException.class)
                    .hasMessage(json + ":11: servers[1].prot: unknown key");
        }
    }

    /** {@code tls: {mode, ca}}: the driver's sslMode and the CA the verifying modes check against. */
    @Nested
    class Tls {

        @TempDir
        static Path certs;

        private static TestCertificates certificates;

        @BeforeAll
        static void makeCertificates() {
            certificates = TestCertificates.create(certs);
        }

        @Test
        void withoutTlsTheModeIsPreferred() {
            assertThat(yaml(BARE).tls()).isEqualTo(TlsConfig.preferred());
            assertThat(yaml("tls: {}\n" + BARE).tls()).isEqualTo(TlsConfig.preferred());
        }

        @ParameterizedTest
        @CsvSource({"DISABLED, DISABLED", "preferred, PREFERRED", "Required, REQUIRED"})
        void theModesThatCheckNoCertificateTakeNoCa(String written, TlsConfig.Mode mode) {
            assertThat(yaml("tls: {mode: " + written + "}\n" + BARE).tls()).isEqualTo(new TlsConfig(mode, Optional.empty()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"VERIFY_CA", "VERIFY_IDENTITY", "verify_identity"})
        void theVerifyingModesTakeACaFile(String mode) {
            String ca = certificates.ca().toString();
            TlsConfig tls = yaml("tls:\n  mode: " + mode + "\n  ca: " + ca + "\n" + BARE).tls();

            assertThat(tls.mode().name()).isEqualToIgnoringCase(mode);
            assertThat(tls.ca()).contains(ca);
            assertThat(tls.caCertificates()).hasSize(1)
                    .allSatisfy(c -> assertThat(c.getSubjectX500Principal().getName()).contains("mha-serverless test CA"));
        }

        @Test
        void theCaMayBeThePemTextItself() throws IOException {
            String pem = Files.readString(certificates.ca()) + Files.readString(certificates.otherCa());
            String indented = pem.strip().lines().map(l -> "    " + l).collect(java.util.stream.Collectors.joining("\n"));
            TlsConfig tls = yaml("tls:\n  mode: VERIFY_CA\n  ca: |\n" + indented + "\n" + BARE).tls();

            assertThat(tls.caCertificates()).as("a bundle of two CAs").hasSize(2);
        }

        @Test
        void anUnknownModeIsNamedWithTheModesThatExist() {
            yamlError(BARE + "tls:\n  mode: STRICT\n")
                    .hasMessage("app1.yaml:8: tls.mode: must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, not 'STRICT'");
        }

        @Test
        void aVerifyingModeWithoutCaIsRefused() {
            yamlError(BARE + "tls:\n  mode: VERIFY_IDENTITY\n")
                    .hasMessage("app1.yaml:7: tls.ca: missing: mode VERIFY_IDENTITY checks the servers' certificates against this CA "
                            + "(an absolute path to a PEM file, or the PEM text)");
        }

        @Test
        void aCaWithAModeThatChecksNothingIsRefused() {
            yamlError(BARE + "tls:\n  mode: REQUIRED\n  ca: " + certificates.ca() + "\n")
                    .hasMessage("app1.yaml:9: tls.ca: mode REQUIRED does not check certificates, so a CA would protect nothing: "
                            + "use VERIFY_CA or VERIFY_IDENTITY, or remove ca");
            yamlError(BARE + "tls:\n  ca: " + certificates.ca() + "\n")
                    .as("the default mode, PREFERRED, checks nothing either").hasMessageContaining("tls.ca: mode PREFERRED");
        }

        @Test
        void aCaFileThatIsMissingRelativeOrNoCertificateIsNamed(@TempDir Path dir) throws IOException {
            Path missing = dir.resolve("nope.pem");
            yamlError(BARE + "tls:\n  mode: VERIFY_CA\n  ca: " + missing + "\n")
                    .hasMessage("app1.yaml:9: tls.ca: no such file: " + missing);
            yamlError(BARE + "tls:\n  mode: VERIFY_CA\n  ca: certs/ca.pem\n")
                    .hasMessage("app1.yaml:9: tls.ca: must be an absolute path to a PEM file or the PEM text itself, not 'certs/ca.pem'");
            Path notPem = Files.writeString(dir.resolve("key.txt"), "hello\n");
            yamlError(BARE + "tls:\n  mode: VERIFY_CA\n  ca: " + notPem + "\n")
                    .hasMessageStartingWith("app1.yaml:9: tls.ca: the file " + notPem + " ");
        }

        @Test
        void unknownKeysAndAScalarAreRefused() {
            yamlError(BARE + "tls:\n  mode: REQUIRED\n  cert: /x.pem\n").hasMessage("app1.yaml:9: tls.cert: unknown key");
            yamlError(BARE + "tls: REQUIRED\n")
                    .hasMessage("app1.yaml:7: tls: must be a mapping of keys to values, found text 'REQUIRED'");
        }
    }
}
