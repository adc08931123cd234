package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.port.StateStore;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * An execution of the state machine that ended where no Catch could see it: its own
 * TimeoutSeconds (TIMED_OUT), a StopExecution (ABORTED), States.DataLimitExceeded or States.Runtime
 * (FAILED). Step Functions sends EventBridge a "Step Functions Execution Status Change" event; the
 * stack's uncaught-end rule (infra/cdk UncaughtEndRule) hands it, whole, to the phase function.
 *
 * <p>What the execution left is finished the way its ReportFailure would have: from the progress it
 * saved after its last completed state, the record says "failover error" (MHA's
 * {@code .failover.error}: the next automatic failover waits for an operator), the lock is released
 * if this execution holds it, and the failure report goes out. An execution that saved no progress
 * never finished its first state, which changes nothing on any server: the lock is released and the
 * refusal reported, as ReportRefusal does. Ends that went through the report states (the Fail states
 * of asl.json) were reported already and are only unlocked; so is a second delivery of the same
 * event, which EventBridge may make.
 */
public final class ExecutionEnded {

    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
    static final Set<String> UNCAUGHT = Set.of("FAILED", "TIMED_OUT", "ABORTED");
    /** The Error of asl.json's Fail states that follow a report step: the end was reported already. */
    static final Set<String> REPORTED = Set.of("InputRejected", "FailoverAlreadyRunning", "FailoverRefused", "FailoverFailed");

    private final WorkflowRuntime runtime;
    private final FailoverWorkflow workflow;

    public ExecutionEnded(WorkflowRuntime runtime, FailoverWorkflow workflow) {
        this.runtime = runtime;
        this.workflow = workflow;
    }

    /** Whether {@code request} is such an event rather than a step request. */
    public static boolean isEvent(JsonNode request) {
        return request != null && DETAIL_TYPE.equals(request.path("detail-type").asText());
    }

    /** What was done, as one small JSON object (the function's answer goes to nobody but its log). */
    public JsonNode handle(JsonNode event) {
        JsonNode detail = event.path("detail");
        String status = detail.path("status").asText("");
        String execution = detail.path("executionArn").asText("");
        ObjectNode answer = FailoverWorkflow.json().createObjectNode().put("execution", execution).put("status", status);
        if (!UNCAUGHT.contains(status) || execution.isEmpty()) {
            return answer.put("action", "none: not an uncaught end");
        }
        JsonNode input = input(detail);
        String cluster = input.path("cluster").asText("");
        if (cluster.isEmpty()) {
            // Input the first state would have rejected: no lock, no record to clean up after.
            return answer.put("action", "none: the execution input names no cluster");
        }
        answer.put("cluster", cluster);
        StateStore store = runtime.stateStore();
        boolean recorded = store.history(cluster, 20).stream().anyMatch(r -> execution.equals(r.executionId()));
        if (recorded || REPORTED.contains(detail.path("error").asText(""))) {
            store.unlock(cluster, execution);
            return answer.put("action", "unlocked: the execution was reported already");
        }
        ObjectNode error = FailoverWorkflow.json().createObjectNode()
                .put("Error", "Execution" + camel(status))
                .put("Cause", cause(status, detail));
        Optional<StateStore.Progress> progress = store.progress(cluster).filter(p -> execution.equals(p.executionId()));
        ObjectNode request;
        if (progress.isPresent()) {
            request = document(progress.get());
            request.put("step", "ReportFailure");
            answer.put("action", "recorded failover error after " + progress.get().completedState() + ", unlocked, reported");
        } else {
            request = FailoverWorkflow.json().createObjectNode();
            request.set("input", input);
            request.put("step", "ReportRefusal");
            answer.put("action", "unlocked, reported: it ended in its first state, which changes no server");
        }
        request.put("execution", execution);
        request.set("error", error);
        workflow.handle(request);
        return answer;
    }

    /** What the report says ended the execution: Step Functions' own error and cause where it gives them. */
    private static String cause(String status, JsonNode detail) {
        String what = switch (status) {
            case "TIMED_OUT" -> "the execution timed out (its TimeoutSeconds)";
            case "ABORTED" -> "the execution was stopped (StopExecution)";
            default -> "the execution failed outside every Catch";
        };
        String error = detail.path("error").asText("");
        String cause = detail.path("cause").asText("");
        return what + (error.isEmpty() ? "" : ": " + error) + (cause.isEmpty() ? "" : " (" + cause + ")");
    }

    private static JsonNode input(JsonNode detail) {
        JsonNode input = detail.path("input");
        if (input.isTextual()) {
            try {
                input = FailoverWorkflow.json().readTree(input.asText());
            } catch (IOException unreadable) {
                return FailoverWorkflow.json().createObjectNode();
            }
        }
        return input != null && input.isObject() ? input : FailoverWorkflow.json().createObjectNode();
    }

    private static ObjectNode document(StateStore.Progress progress) {
        try {
            return (ObjectNode) FailoverWorkflow.json().readTree(progress.document());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("the saved progress of " + progress.executionId() + " is not a JSON object", e);
        }
    }

    private static String camel(String status) {
        StringBuilder b = new StringBuilder();
        for (String part : status.toLowerCase(java.util.Locale.ROOT).split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }
}
