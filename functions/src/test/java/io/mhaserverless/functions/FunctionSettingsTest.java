package io.mhaserverless.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.mhaserverless.functions.aws.AwsSettings;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The settings as the CDK stack hands them over: environment variables, bound by Micronaut's own
 * convention (a property source of the environment-variable kind, the one Micronaut builds from
 * System.getenv()), so the names tested here are the names Lambda sets.
 */
class FunctionSettingsTest {

    static final Map<String, Object> CDK = Map.of("MHA_TABLE", "mha-table", "MHA_TOPIC_ARN", "arn:aws:sns:eu-west-1:1:mha",
            "MHA_CONFIG_PREFIX", "/ops/mha/", "MHA_SSM_DOCUMENT", "Stack-MhaNodeAgent", "MHA_WRITER_INTERFACE", "ens5",
            "MHA_WAIT_TIMEOUT_SECONDS", "90", "MHA_AWS_REGION", "eu-west-1");

    @Test
    void everyVariableTheStackSetsIsBound() {
        try (ApplicationContext context = start(CDK)) {
            assertThat(context.getBean(FunctionSettings.class)).isEqualTo(new FunctionSettings("mha-table", "arn:aws:sns:eu-west-1:1:mha",
                    "/ops/mha/", "Stack-MhaNodeAgent", "ens5", 90));
            assertThat(context.getBean(FunctionSettings.class).waitTimeout()).isEqualTo(Duration.ofSeconds(90));
        }
    }

    @Test
    void onlyTableAndTopicAreRequired() {
        try (ApplicationContext context = start(Map.of("MHA_TABLE", "t", "MHA_TOPIC_ARN", "arn:topic", "MHA_AWS_REGION", "eu-west-1"))) {
            assertThat(context.getBean(FunctionSettings.class)).isEqualTo(new FunctionSettings("t", "arn:topic", "/mha/clusters/",
                    "MhaNodeAgent", "eth0", 60));
            AwsSettings aws = context.getBean(AwsSettings.class);
            assertThat(aws.apiCallTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(aws.attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(aws.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(aws.maxAttempts()).isEqualTo(3);
            assertThat(aws.endpoint()).isNull();
        }
    }

    @Test
    void theProbesSettingsAreBoundAndCheckedWhenTheProbeAsksForThem() {
        Map<String, Object> env = with("MHA_STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:1:stateMachine:mha");
        env.put("MHA_PROBE_WATCH_MILLIS", "60500");
        env.put("MHA_PROBE_LEASE_SECONDS", "30");
        try (ApplicationContext context = start(env)) {
            assertThat(context.getBean(ProbeSettings.class)).isEqualTo(new ProbeSettings("arn:aws:states:eu-west-1:1:stateMachine:mha",
                    60_500, 30));
        }
        try (ApplicationContext phase = start(CDK)) {
            // the phase function starts without them; the probe does not
            assertThatThrownBy(() -> phase.getBean(ProbeSettings.class)).hasStackTraceContaining(
                    "environment variable MHA_STATE_MACHINE_ARN is not set");
        }
        env.put("MHA_PROBE_WATCH_MILLIS", "900000");
        try (ApplicationContext context = start(env)) {
            assertThatThrownBy(() -> context.getBean(ProbeSettings.class)).hasStackTraceContaining(
                    "environment variable MHA_PROBE_WATCH_MILLIS: expected 1000 to 840000");
        }
    }

    @Test
    void aMissingVariableFailsTheStartNamingIt() {
        assertThatThrownBy(() -> start(without("MHA_TABLE"))).isInstanceOf(ConfigurationException.class)
                .hasMessage("environment variable MHA_TABLE is not set: the functions need it");
        assertThatThrownBy(() -> start(without("MHA_TOPIC_ARN"))).isInstanceOf(ConfigurationException.class)
                .hasMessage("environment variable MHA_TOPIC_ARN is not set: the functions need it");
        assertThatThrownBy(() -> start(with("MHA_TABLE", " "))).hasMessageStartingWith("environment variable MHA_TABLE is not set");
    }

    @Test
    void aMalformedVariableFailsTheStartNamingIt() {
        assertThatThrownBy(() -> start(with("MHA_WAIT_TIMEOUT_SECONDS", "a minute"))).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable MHA_WAIT_TIMEOUT_SECONDS (mha.wait-timeout-seconds): ")
                .hasMessageContaining("a minute");
        assertThatThrownBy(() -> start(with("MHA_WAIT_TIMEOUT_SECONDS", "0"))).isInstanceOf(ConfigurationException.class)
                .hasMessage("environment variable MHA_WAIT_TIMEOUT_SECONDS: expected a whole number of seconds >= 1, got 0");
        assertThatThrownBy(() -> start(with("MHA_AWS_ATTEMPT_TIMEOUT_MS", "soon"))).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable MHA_AWS_ATTEMPT_TIMEOUT_MS (mha.aws.attempt-timeout-ms): ");
        assertThatThrownBy(() -> start(with("MHA_AWS_MAX_ATTEMPTS", "0"))).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment variable MHA_AWS_MAX_ATTEMPTS");
    }

    @Test
    void testsAndTheLocalSuitePointTheClientsElsewhere() {
        Map<String, Object> env = with("MHA_AWS_ENDPOINT", "http://127.0.0.1:4566");
        env.put("MHA_AWS_ENDPOINTS_DYNAMODB", "http://127.0.0.1:8000");
        try (ApplicationContext context = start(env)) {
            AwsSettings aws = context.getBean(AwsSettings.class);
            assertThat(aws.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
            assertThat(aws.endpoints()).containsEntry("dynamodb", URI.create("http://127.0.0.1:8000"));
        }
    }

    /** The real thing once: a fresh JVM on the function's classes, its environment without MHA_TABLE. */
    @Test
    void theFunctionDoesNotStartWithoutItsTable() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Invoke.class.getName());
        pb.environment().keySet().removeIf(name -> name.startsWith("MHA_") || name.startsWith("AWS_"));
        pb.environment().put("MHA_TOPIC_ARN", "arn:topic");
        pb.environment().put("AWS_REGION", "eu-west-1");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        p.getErrorStream().transferTo(err);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mha: environment variable MHA_TABLE is not set");
    }

    private static ApplicationContext start(Map<String, Object> env) {
        // The test JVM's own environment is left out: only the map is the function's environment.
        return FunctionContext.start(FunctionContext.builder()
                .propertySources(PropertySource.of("env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)));
    }

    private static Map<String, Object> without(String name) {
        Map<String, Object> env = new HashMap<>(CDK);
        env.remove(name);
        return env;
    }

    private static Map<String, Object> with(String name, String value) {
        Map<String, Object> env = new HashMap<>(CDK);
        env.put(name, value);
        return env;
    }
}
