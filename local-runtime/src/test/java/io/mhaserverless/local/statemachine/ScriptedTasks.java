package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The phase function as asl.json sees it, without servers: every step answers the document it was
 * given (a Map item answers a replica outcome), unless the script says a call of that step fails
 * with a given error name. What the state machine does with the answers is what the parity test
 * compares, so the answers are shaped as the real {@code FailoverWorkflow}'s are.
 */
final class ScriptedTasks implements TaskHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean gtid;
    private final Map<String, Deque<String>> failures = new HashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    ScriptedTasks(boolean gtid) {
        this.gtid = gtid;
    }

    /** The next calls of {@code step} (a Map item's: {@code step/replica}) fail, one per error name, then it succeeds. */
    ScriptedTasks failing(String step, String... errors) {
        failures.computeIfAbsent(step, s -> new ArrayDeque<>()).addAll(List.of(errors));
        return this;
    }

    @Override
    public JsonNode handle(String state, String resource, JsonNode input) throws StatesError {
        if (resource.endsWith(":sns:publish")) {
            calls.add("sns:" + input.path("Subject").asText());
            return JSON.createObjectNode().put("MessageId", "m-1");
        }
        JsonNode payload = input.get("Payload");
        String step = payload.path("step").asText();
        String replica = payload.path("replica").asText(null);
        calls.add(replica == null ? step : step + "/" + replica);
        String error;
        synchronized (failures) {
            Deque<String> script = failures.get(replica == null ? step : step + "/" + replica);
            error = script == null ? null : script.poll();
        }
        if (error != null) {
            ObjectNode cause = JSON.createObjectNode().put("errorMessage", step + " failed as scripted").put("errorType", error);
            throw new StatesError(error, cause.toString());
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("StatusCode", 200);
        reply.set("Payload", answer(step, payload, replica));
        return reply;
    }

    private JsonNode answer(String step, JsonNode payload, String replica) {
        switch (step) {
            case "ApplyRelayLogDiff":
            case "RecoverReplica":
            case "RepointReplica":
                return JSON.createObjectNode().put("name", replica).put("ok", true).put("message", step);
            case "Report":
            case "ReportFailure":
            case "ReportRefusal":
                return JSON.createObjectNode().put("cluster", "app1").put("outcome", step).put("summary", step + " summary");
            default:
                ObjectNode doc = JSON.createObjectNode();
                doc.set("input", payload.get("input"));
                ObjectNode state = JSON.createObjectNode().put("cluster", "app1").put("gtid", gtid);
                doc.set("state", state);
                doc.set("replicas", JSON.createArrayNode().add("db3").add("db4"));
                doc.set("applied", payload.has("applied") ? payload.get("applied") : JSON.createArrayNode());
                doc.set("recovered", payload.has("recovered") ? payload.get("recovered") : JSON.createArrayNode());
                doc.set("config", JSON.createObjectNode().put("digest", "pinned"));
                return doc;
        }
    }
}
