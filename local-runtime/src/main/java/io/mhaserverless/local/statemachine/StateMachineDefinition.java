package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * statemachine/asl.json with its {@code ${...}} placeholders substituted, as CloudFormation's
 * DefinitionSubstitutions does, and checked against the part of ASL that {@link AslInterpreter}
 * runs. A state type or field outside it is refused when the definition is loaded, so that the
 * local runtime never silently behaves differently from Step Functions.
 */
public final class StateMachineDefinition {

    /** Where the build puts asl.json inside the local runtime's jar. */
    public static final String RESOURCE = "/statemachine/asl.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "Next", "End");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Task", Set.of("Resource", "Parameters", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "TimeoutSeconds",
                    "Retry", "Catch"),
            "Map", Set.of("ItemsPath", "ItemSelector", "ItemProcessor", "MaxConcurrency", "InputPath", "OutputPath", "ResultPath",
                    "ResultSelector", "Retry", "Catch"),
            "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath"),
            "Pass", Set.of("Result", "ResultPath", "Parameters", "InputPath", "OutputPath"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Succeed", Set.of("InputPath", "OutputPath"));

    private final JsonNode root;

    private StateMachineDefinition(JsonNode root) {
        this.root = root;
    }

    /** The asl.json this runtime was built with. */
    public static StateMachineDefinition bundled(Map<String, String> substitutions) {
        try (InputStream in = StateMachineDefinition.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: the local runtime jar is incomplete");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), substitutions, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * @param origin names the definition in errors
     * @throws IllegalArgumentException a placeholder without a value, malformed JSON, or ASL this runtime cannot run
     */
    public static StateMachineDefinition parse(String text, Map<String, String> substitutions, String origin) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder substituted = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(origin + " references ${" + m.group(1) + "}, which has no substitution");
            }
            m.appendReplacement(substituted, Matcher.quoteReplacement(value));
        }
        m.appendTail(substituted);
        JsonNode root;
        try {
            root = JSON.readTree(substituted.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + " is not JSON: " + e.getMessage(), e);
        }
        checkMachine(root, origin);
        return new StateMachineDefinition(root);
    }

    /** The top-level state that follows {@code state}: where an execution that completed it goes on. */
    public String next(String state) {
        JsonNode s = root.path("States").get(state);
        if (s == null || !s.has("Next")) {
            throw new IllegalArgumentException("state " + state + " has no Next in the definition");
        }
        return s.get("Next").asText();
    }

    /** Whether the definition has a top-level state of that name. */
    public boolean hasState(String state) {
        return root.path("States").has(state);
    }

    JsonNode root() {
        return root;
    }

    /** The definition's execution timeout, 0 for none. */
    long timeoutSeconds() {
        return root.path("TimeoutSeconds").asLong(0);
    }

    private static void checkMachine(JsonNode machine, String where) {
        JsonNode states = machine.get("States");
        String start = machine.path("StartAt").asText(null);
        if (states == null || !states.isObject() || start == null) {
            throw new IllegalArgumentException(where + ": StartAt and States are required");
        }
        require(states, start, where + ": StartAt");
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkState(states, e.getKey(), e.getValue(), where + ": state " + e.getKey());
        }
    }

    private static void checkState(JsonNode states, String name, JsonNode state, String where) {
        String type = state.path("Type").asText();
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new IllegalArgumentException(where + ": Type " + type + " is not supported by the local runtime");
        }
        for (Iterator<String> f = state.fieldNames(); f.hasNext(); ) {
            String field = f.next();
            if (!COMMON.contains(field) && !allowed.contains(field)) {
                throw new IllegalArgumentException(where + ": field " + field + " is not supported by the local runtime for a " + type);
            }
        }
        boolean terminal = type.equals("Fail") || type.equals("Succeed") || type.equals("Choice");
        if (!terminal && state.has("Next") == state.path("End").asBoolean(false)) {
            throw new IllegalArgumentException(where + ": exactly one of Next and End");
        }
        if (state.has("Next")) {
            require(states, state.get("Next").asText(), where + ": Next");
        }
        for (JsonNode c : state.path("Catch")) {
            require(states, c.path("Next").asText(), where + ": Catch Next");
        }
        if (type.equals("Choice")) {
            for (JsonNode rule : state.path("Choices")) {
                require(states, rule.path("Next").asText(), where + ": Choices Next");
                ChoiceRule.check(rule, where);
            }
            if (state.has("Default")) {
                require(states, state.get("Default").asText(), where + ": Default");
            }
        }
        if (type.equals("Map")) {
            JsonNode processor = state.get("ItemProcessor");
            if (processor == null) {
                throw new IllegalArgumentException(where + ": ItemProcessor is required");
            }
            String mode = processor.path("ProcessorConfig").path("Mode").asText("INLINE");
            if (!mode.equals("INLINE")) {
                throw new IllegalArgumentException(where + ": ProcessorConfig.Mode " + mode + " is not supported (INLINE only)");
            }
            checkMachine(processor, where + " ItemProcessor");
        }
    }

    private static void require(JsonNode states, String name, String where) {
        if (!states.has(name)) {
            throw new IllegalArgumentException(where + " names state '" + name + "', which does not exist");
        }
    }
}
