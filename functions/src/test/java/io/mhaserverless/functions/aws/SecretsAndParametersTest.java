package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.port.SecretStore;
import io.mhaserverless.functions.fake.FakeAws;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SecretsManagerSecretStore and ParameterStoreConfigSource: happy and error paths. */
class SecretsAndParametersTest {

    static final String PASSWORD = "pa55-w0rd-NEVER-LOGGED";
    static final String YAML = """
            cluster: app1
            credentialsSecret: mha/app1/admin
            replicationUser: repl
            replicationPassword: repl
            servers:
              - name: db1
                host: 10.0.1.11
                instanceId: i-0000000000000db01
              - name: db2
                host: 10.0.1.12
                instanceId: i-0000000000000db02
            writerIp: { mode: eni, address: 10.0.1.50 }
            """;

    FakeAws aws;
    AwsClients clients;
    SecretsManagerSecretStore secrets;
    ParameterStoreConfigSource configs;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        clients = TestAws.clients(aws.endpoint());
        secrets = new SecretsManagerSecretStore(clients.secretsManager());
        configs = new ParameterStoreConfigSource(clients.ssm(), ParameterStoreConfigSource.DEFAULT_PREFIX);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void readsTheAccountByNameOrArn() {
        String arn = aws.secretsManager().putSecret("mha/app1/admin",
                "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\",\"engine\":\"mariadb\"}");

        SecretStore.Account byName = secrets.account("mha/app1/admin");
        SecretStore.Account byArn = secrets.account(arn);

        assertThat(byName).isEqualTo(new SecretStore.Account("admin", PASSWORD)).isEqualTo(byArn);
        assertThat(byName.toString()).doesNotContain(PASSWORD);
        assertThat(secrets.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aMissingKeyIsNamedWithTheSecret() {
        aws.secretsManager().putSecret("no-password", "{\"username\":\"admin\"}");
        aws.secretsManager().putSecret("no-user", "{\"password\":\"" + PASSWORD + "\"}");

        assertThatThrownBy(() -> secrets.account("no-password")).isInstanceOf(FatalFailure.class)
                .hasMessage("secret no-password has no \"password\" string");
        assertThatThrownBy(() -> secrets.account("no-user")).isInstanceOf(FatalFailure.class)
                .hasMessage("secret no-user has no \"username\" string");
    }

    @Test
    void aSecretThatIsNotJsonIsNamedButNeverQuoted() {
        aws.secretsManager().putSecret("plain", PASSWORD + " {");
        aws.secretsManager().putBinarySecret("binary", PASSWORD.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> secrets.account("plain")).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("secret plain is not a JSON object")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(PASSWORD));
        assertThatThrownBy(() -> secrets.account("binary")).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("secret binary has no SecretString");
    }

    @Test
    void anUnknownSecretIsFatalAndNamed() {
        assertThatThrownBy(() -> secrets.account("mha/missing")).isInstanceOf(FatalFailure.class)
                .hasMessage("SecretsManager GetSecretValue failed: ResourceNotFoundException (HTTP 400): "
                        + "Secrets Manager can't find the specified secret.");
    }

    @Test
    void loadsTheClusterConfigFromItsParameterWithDecryption() {
        aws.ssm().putParameter("/mha/clusters/app1", YAML, "SecureString");

        ClusterConfig config = configs.load("app1");

        assertThat(config.cluster()).isEqualTo("app1");
        assertThat(config.servers()).extracting(s -> s.instanceId().orElseThrow())
                .containsExactly("i-0000000000000db01", "i-0000000000000db02");
        assertThat(config.credentials().secretId()).contains("mha/app1/admin");
        FakeAws.Call get = aws.calls("GetParameter").get(0);
        assertThat(get.json().path("Name").asText()).isEqualTo("/mha/clusters/app1");
        assertThat(get.json().path("WithDecryption").asBoolean()).isTrue();
    }

    @Test
    void theClustersUnderThePrefixAreListedAcrossPagesOneLevelDeepValidNamesOnly() {
        for (int i = 1; i <= 12; i++) {
            aws.ssm().putParameter("/mha/clusters/app" + i, YAML, "SecureString");
        }
        aws.ssm().putParameter("/mha/clusters/team/app99", YAML, "String"); // deeper: not a cluster of this prefix
        aws.ssm().putParameter("/mha/clusters/bad name", YAML, "String");
        aws.ssm().putParameter("/mha/other", YAML, "String");

        assertThat(configs.clusters()).hasSize(12).contains("app1", "app12").doesNotContain("team", "app99", "bad name", "other");
        assertThat(aws.calls("GetParametersByPath")).hasSizeGreaterThan(1).allSatisfy(c ->
                assertThat(c.json().path("Path").asText()).isEqualTo("/mha/clusters"));
    }

    @Test
    void aMissingParameterIsNamed() {
        assertThatThrownBy(() -> configs.load("app2")).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("/mha/clusters/app2").hasMessageContaining("ParameterNotFound")
                .satisfies(e -> assertThat(((FatalFailure) e).errorCode()).isEqualTo("ParameterNotFound"));
    }

    @Test
    void configErrorsNameTheParameterAndLine() {
        aws.ssm().putParameter("/mha/clusters/app3", YAML.replace("    host: 10.0.1.12", "    hots: 10.0.1.12"), "String");

        assertThatThrownBy(() -> configs.load("app3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ssm:/mha/clusters/app3").hasMessageContaining("hots");
    }

    @Test
    void throttlingOfParameterStoreIsRetryable() {
        aws.failNext("GetParameter", 1, "ThrottlingException", 400);

        assertThatThrownBy(() -> configs.load("app1")).isInstanceOf(RetryableFailure.class)
                .hasMessageStartingWith("SSM GetParameter failed: ThrottlingException");
    }

    private static String stackText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append('\n');
        }
        return b.toString();
    }
}
