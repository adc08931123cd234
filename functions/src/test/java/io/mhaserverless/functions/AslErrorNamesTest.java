package io.mhaserverless.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.mhaserverless.core.port.StateStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every error name asl.json's Retry and Catch match must be one the phase function really raises:
 * a misspelt or renamed class would make a Catch silently never fire, and the execution would end
 * without its report.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AslErrorNamesTest implements TestPropertyProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        FunctionContext.DEFAULTS.forEach((name, value) -> properties.put(name, value.toString()));
        properties.putAll(Map.of("spec.name", "AslErrorNamesTest", "mha.table", "mha",
                "mha.topic-arn", "arn:aws:sns:us-east-1:000000000000:mha", "mha.aws.region", "us-east-1"));
        return properties;
    }

    @Test
    void everyProjectErrorNameIsAnExceptionClassOfTheFunction() throws Exception {
        Set<String> ours = projectErrorNames();
        assertThat(ours).contains("io.mhaserverless.core.workflow.InputRejected",
                "io.mhaserverless.core.workflow.FailoverAlreadyRunning", "io.mhaserverless.functions.aws.RetryableFailure",
                "io.mhaserverless.core.failover.TransientFailure");
        for (String name : ours) {
            Class<?> type = Class.forName(name);
            assertThat(RuntimeException.class.isAssignableFrom(type)).as(name + " is an unchecked exception the handler lets out").isTrue();
            assertThat(java.lang.reflect.Modifier.isAbstract(type.getModifiers())).as(name + " is thrown as itself").isFalse();
        }
    }

    @Test
    void theFunctionRaisesTheFirstStatesErrorsByThoseNames() {
        PhaseFunction held = new PhaseFunction(context);
        Throwable bad = catchThrowable(() -> call(held, "{\"step\":\"CheckConfiguration\",\"execution\":\"arn:x\","
                + "\"input\":{\"cluster\":\"app1\",\"forse\":true}}"));
        assertThat(bad.getClass().getName()).isEqualTo("io.mhaserverless.core.workflow.InputRejected");
        Throwable locked = catchThrowable(() -> call(held, "{\"step\":\"CheckConfiguration\",\"execution\":\"arn:x\","
                + "\"input\":{\"cluster\":\"app1\"}}"));
        assertThat(locked.getClass().getName()).isEqualTo("io.mhaserverless.core.workflow.FailoverAlreadyRunning");
    }

    private static Set<String> projectErrorNames() throws Exception {
        JsonNode asl = JSON.readTree(Path.of("../statemachine/asl.json").toFile());
        Set<String> names = new TreeSet<>();
        collect(asl, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.has("ErrorEquals")) {
            node.get("ErrorEquals").forEach(n -> {
                if (n.asText().startsWith("io.mhaserverless.")) {
                    names.add(n.asText());
                }
            });
        }
        node.forEach(child -> collect(child, names));
    }

    private static void call(PhaseFunction function, String request) throws Exception {
        function.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    /**
     * The function's own context with one bean replaced: a state store whose lock another execution
     * holds, so the first state stops before it reads any config or calls AWS.
     */
    @Factory
    @Requires(property = "spec.name", value = "AslErrorNamesTest")
    static class LockHeldElsewhere {

        @Singleton
        @Replaces(StateStore.class)
        StateStore heldLock() {
            return new StateStore() {
                public boolean lock(String cluster, String owner, Duration ttl) {
                    return false;
                }

                public void unlock(String cluster, String owner) {
                }

                public Optional<String> lockOwner(String cluster) {
                    return Optional.empty();
                }

                public Optional<LastFailover> lastFailover(String cluster) {
                    return Optional.empty();
                }

                public void record(FailoverRecord record) {
                }

                public void acknowledge(String cluster, String operator) {
                }

                public List<FailoverRecord> history(String cluster, int limit) {
                    return List.of();
                }

                public void saveProgress(Progress progress) {
                }

                public Optional<Progress> progress(String cluster) {
                    return Optional.empty();
                }

                public void clearProgress(String cluster, String executionId) {
                }

                public void recordSwitchover(FailoverRecord record) {
                }

                public boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen) {
                    throw new AssertionError("a failover never probes");
                }

                public void releaseProbeLease(String cluster, String owner) {
                    throw new AssertionError("a failover never probes");
                }

                public Optional<ProbeStatus> probeStatus(String cluster) {
                    throw new AssertionError("a failover never probes");
                }
            };
        }
    }
}
