package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * statemachine/asl.json against its two readers: asl-validator (the ASL spec), and the phase
 * function (every Task's step is one it knows, and every step it knows is reached). The CDK test
 * (infra/cdk) checks the placeholders against the deployed resources.
 */
class StateMachineDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir = Checkout.statemachine();

    @TempDir
    Path tmp;

    @Test
    void theDefinitionIsValidAsl() throws Exception {
        Run run = validate(dir.resolve("asl.json"));
        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void theValidatorRejectsATransitionToAMissingState() throws Exception {
        ObjectNode asl = (ObjectNode) JSON.readTree(dir.resolve("asl.json").toFile());
        ((ObjectNode) asl.path("States").path("SelectNewMaster")).put("Next", "PromoteSomebody");
        Path broken = Files.writeString(tmp.resolve("broken.json"), asl.toString());
        Run run = validate(broken);
        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("PromoteSomebody");
    }

    /**
     * An idle function's first call can fail while Lambda re-creates its SnapStart snapshot or
     * re-activates its network interface: every Lambda Task must retry those errors long enough
     * (minutes, not the seconds of the service-error retrier), or the first failover after quiet
     * weeks ends unreported with the master still dead.
     */
    @Test
    void everyLambdaTaskOutwaitsAnIdleFunctionsFirstCall() throws IOException {
        JsonNode asl = JSON.readTree(dir.resolve("asl.json").toFile());
        Map<String, JsonNode> tasks = new java.util.TreeMap<>();
        collectLambdaTasks(asl.path("States"), tasks);
        assertThat(tasks).hasSizeGreaterThan(10).containsKeys(APPLIERS.toArray(String[]::new));
        for (Map.Entry<String, JsonNode> named : tasks.entrySet()) {
            JsonNode task = named.getValue();
            // A client-side timeout may leave the first invocation running: only a step that cannot
            // apply transactions twice may be invoked again beside it.
            boolean applies = APPLIERS.contains(named.getKey());
            assertThat(task.path("Retry").toString().contains("Lambda.ClientExecutionTimeoutException")).as(named.getKey())
                    .isEqualTo(!applies);
            for (String error : List.of("Lambda.SnapStartNotReadyException", "Lambda.ResourceNotReadyException",
                    "Lambda.CodeArtifactUserPendingException")) {
                JsonNode retrier = null;
                for (JsonNode r : task.path("Retry")) {
                    if (retrier == null && (contains(r.path("ErrorEquals"), error) || contains(r.path("ErrorEquals"), "States.ALL"))) {
                        retrier = r;
                    }
                }
                assertThat(retrier).as(named.getKey() + ": a Retry for " + error).isNotNull();
                double total = 0;
                for (int attempt = 0; attempt < retrier.path("MaxAttempts").asInt(3); attempt++) {
                    total += Math.min(retrier.path("IntervalSeconds").asDouble(1) * Math.pow(retrier.path("BackoffRate").asDouble(2), attempt),
                            retrier.path("MaxDelaySeconds").asDouble(Double.MAX_VALUE));
                }
                assertThat(total).as(error + " is retried for at least two minutes").isGreaterThanOrEqualTo(120);
                assertThat(retrier.path("JitterStrategy").asText("NONE")).as("no jitter that could shorten the wait").isEqualTo("NONE");
            }
        }
    }

    // the appliers, and the write block (two at once would interleave their read_only and writable steps)
    private static final Set<String> APPLIERS = Set.of("RecoverNewMaster", "ApplyRelayLogDiff", "SwitchMaster");

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void collectLambdaTasks(JsonNode states, Map<String, JsonNode> tasks) {
        states.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if ("Task".equals(s.path("Type").asText()) && "arn:aws:states:::lambda:invoke".equals(s.path("Resource").asText())) {
                tasks.put(e.getKey(), s);
            }
            if (s.has("ItemProcessor")) {
                collectLambdaTasks(s.path("ItemProcessor").path("States"), tasks);
            }
        });
    }

    @Test
    void everyTaskNamesAStepThePhaseFunctionKnowsAndEveryStepIsReached() throws IOException {
        JsonNode asl = JSON.readTree(dir.resolve("asl.json").toFile());
        List<String> steps = new ArrayList<>();
        collectSteps(asl.path("States"), steps);
        assertThat(steps).isSubsetOf(FailoverWorkflow.STEPS);
        assertThat(new TreeSet<>(steps)).containsExactlyInAnyOrderElementsOf(new TreeSet<>(FailoverWorkflow.STEPS));
    }

    @Test
    void everyPlaceholderHasALocalSubstitution() throws IOException {
        String text = Files.readString(dir.resolve("asl.json"));
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertThat(placeholders).isNotEmpty();
        assertThat(LocalFailover.SUBSTITUTIONS.keySet()).containsExactlyInAnyOrderElementsOf(placeholders);
    }

    /** The step of each Lambda Task: in its Payload, or (Map iterations) in the Map's ItemSelector. */
    private static void collectSteps(JsonNode states, List<String> steps) {
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            JsonNode s = it.next().getValue();
            if (s.path("Type").asText().equals("Map")) {
                steps.add(s.path("ItemSelector").path("step").asText());
                collectSteps(s.path("ItemProcessor").path("States"), new ArrayList<>());
            } else if (s.path("Resource").asText().equals("arn:aws:states:::lambda:invoke")
                    && s.path("Parameters").path("Payload").has("step")) {
                steps.add(s.path("Parameters").path("Payload").path("step").asText());
            }
        }
    }

    private record Run(int exit, String output) {
    }

    private Run validate(Path definition) throws Exception {
        Process p = new ProcessBuilder(System.getenv().getOrDefault("MHA_NODE", "node"),
                dir.resolve("node_modules/asl-validator/dist/bin/asl-validator.js").toString(), "--json-path", definition.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
