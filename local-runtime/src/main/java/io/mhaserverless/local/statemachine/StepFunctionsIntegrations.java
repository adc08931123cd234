package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Answers the Task states of asl.json the way Step Functions' service integrations do, so the
 * definition's ResultSelector/OutputPath, Retry and Catch see what they would see on AWS:
 * {@code lambda:invoke} wraps the function's result as {@code {"Payload": …, "StatusCode": 200}}
 * and turns an exception into the error named by its class with the Lambda runtime's JSON cause;
 * {@code sns:publish} answers {@code {"MessageId": …}}.
 */
public final class StepFunctionsIntegrations implements TaskHandler {

    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    public static final String SNS_PUBLISH = "arn:aws:states:::sns:publish";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An SNS publish as the {@code sns:publish} integration makes it. */
    @FunctionalInterface
    public interface SnsPublish {
        String publish(String topicArn, String subject, String message);
    }

    private final Map<String, UnaryOperator<JsonNode>> functions;
    private final SnsPublish sns;

    /** @param functions each function the definition may invoke, by the name or ARN its placeholder is substituted with */
    public StepFunctionsIntegrations(Map<String, UnaryOperator<JsonNode>> functions, SnsPublish sns) {
        this.functions = Map.copyOf(functions);
        this.sns = sns;
    }

    @Override
    public JsonNode handle(String state, String resource, JsonNode input) throws StatesError {
        switch (resource) {
            case LAMBDA_INVOKE:
                return invoke(input);
            case SNS_PUBLISH:
                String id = sns.publish(input.path("TopicArn").asText(), input.path("Subject").asText(null),
                        input.path("Message").asText());
                return JSON.createObjectNode().put("MessageId", id == null ? UUID.randomUUID().toString() : id);
            default:
                throw new StatesError("States.Runtime", "state " + state + ": resource " + resource
                        + " has no local integration (only lambda:invoke and sns:publish)");
        }
    }

    private JsonNode invoke(JsonNode input) throws StatesError {
        String name = input.path("FunctionName").asText();
        UnaryOperator<JsonNode> function = functions.get(name);
        if (function == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: " + name);
        }
        JsonNode result;
        try {
            result = function.apply(input.get("Payload"));
        } catch (RuntimeException e) {
            ObjectNode cause = JSON.createObjectNode();
            cause.put("errorMessage", String.valueOf(e.getMessage()));
            cause.put("errorType", e.getClass().getName());
            cause.putArray("stackTrace");
            throw new StatesError(e.getClass().getName(), cause.toString());
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ExecutedVersion", "$LATEST");
        reply.set("Payload", result);
        reply.put("StatusCode", 200);
        return reply;
    }
}
