package io.mhaserverless.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Lambda Task of asl.json tells the function its own TimeoutSeconds ({@code taskTimeoutSeconds}
 * in the payload, or in the Map's ItemSelector for a Task whose payload is the item), so the step's
 * {@code Deadline} ends its waits before Step Functions times the Task out. The two numbers must
 * stay equal when either is edited.
 */
class AslTaskTimeoutsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLambdaTaskPassesItsOwnTimeoutSeconds() throws IOException {
        JsonNode asl = JSON.readTree(Path.of("../statemachine/asl.json").toFile());
        List<String> checked = new ArrayList<>();
        walk(asl.get("States"), null, checked);
        assertThat(checked).as("the walk finds the Tasks, the Map iterations among them")
                .contains("CheckConfiguration", "ApplyRelayLogDiff", "RecoverReplica", "RepointReplica", "ReportFailure");
    }

    private static void walk(JsonNode states, JsonNode itemSelector, List<String> checked) {
        for (Map.Entry<String, JsonNode> named : states.properties()) {
            JsonNode state = named.getValue();
            String name = named.getKey();
            if ("Map".equals(state.path("Type").asText())) {
                walk(state.path("ItemProcessor").path("States"), state.path("ItemSelector"), checked);
            }
            if (!"Task".equals(state.path("Type").asText()) || !state.path("Resource").asText().endsWith(":lambda:invoke")) {
                continue;
            }
            JsonNode parameters = state.path("Parameters");
            JsonNode payload = parameters.has("Payload") ? parameters.get("Payload")
                    : "$".equals(parameters.path("Payload.$").asText()) ? itemSelector : null;
            assertThat(payload).as(name + ": a payload this test can read").isNotNull();
            assertThat(state.path("TimeoutSeconds").isInt()).as(name + ": TimeoutSeconds").isTrue();
            assertThat(payload.path("taskTimeoutSeconds").isInt()).as(name + ": taskTimeoutSeconds in its payload").isTrue();
            assertThat(payload.path("taskTimeoutSeconds").asInt()).as(name + ": taskTimeoutSeconds = TimeoutSeconds")
                    .isEqualTo(state.path("TimeoutSeconds").asInt());
            checked.add(name);
        }
    }
}
