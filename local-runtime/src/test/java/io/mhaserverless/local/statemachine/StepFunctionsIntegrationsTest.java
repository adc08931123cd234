package io.mhaserverless.local.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StepFunctionsIntegrationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = "mha-phase";

    /** A failure of one of our own types, as a phase would throw it. */
    static final class PhaseRefused extends IllegalStateException {
        PhaseRefused(String message) {
            super(message);
        }
    }

    private final List<List<String>> published = new ArrayList<>();

    private StepFunctionsIntegrations integrations(UnaryOperator<JsonNode> function) {
        return new StepFunctionsIntegrations(Map.of(FUNCTION, function), (topic, subject, message) -> {
            published.add(Arrays.asList(topic, subject, message));
            return "msg-1";
        });
    }

    private static ObjectNode invoke(String functionName, JsonNode payload) {
        ObjectNode input = JSON.createObjectNode().put("FunctionName", functionName);
        input.set("Payload", payload);
        return input;
    }

    @Test
    void lambdaInvokeWrapsTheResultAsTheIntegrationDoes() throws Exception {
        JsonNode payload = JSON.createObjectNode().put("step", "FenceDeadMaster");
        StepFunctionsIntegrations sf = integrations(in -> JSON.createObjectNode().put("echo", in.path("step").asText()));

        JsonNode out = sf.handle("FenceDeadMaster", StepFunctionsIntegrations.LAMBDA_INVOKE, invoke(FUNCTION, payload));

        assertThat(out).isEqualTo(JSON.readTree("{\"ExecutedVersion\":\"$LATEST\",\"Payload\":{\"echo\":\"FenceDeadMaster\"},"
                + "\"StatusCode\":200}"));
    }

    @Test
    void exceptionOfTheFunctionBecomesAnErrorNamedByItsClassWithTheLambdaRuntimesCause() throws Exception {
        StepFunctionsIntegrations sf = integrations(in -> {
            throw new PhaseRefused("the master db1 is alive");
        });

        StatesError failure = catchThrowableOfType(StatesError.class,
                () -> sf.handle("CheckConfiguration", StepFunctionsIntegrations.LAMBDA_INVOKE, invoke(FUNCTION, JSON.createObjectNode())));

        assertThat(failure.error()).isEqualTo("io.mhaserverless.local.statemachine.StepFunctionsIntegrationsTest$PhaseRefused");
        JsonNode cause = JSON.readTree(failure.getMessage());
        assertThat(cause.path("errorMessage").asText()).isEqualTo("the master db1 is alive");
        assertThat(cause.path("errorType").asText()).isEqualTo(failure.error());
    }

    @Test
    void unknownFunctionIsResourceNotFound() {
        StepFunctionsIntegrations sf = integrations(in -> in);

        StatesError failure = catchThrowableOfType(StatesError.class,
                () -> sf.handle("CheckConfiguration", StepFunctionsIntegrations.LAMBDA_INVOKE, invoke("mha-other", JSON.createObjectNode())));

        assertThat(failure.error()).isEqualTo("Lambda.ResourceNotFoundException");
        assertThat(failure.getMessage()).contains("mha-other");
    }

    @Test
    void snsPublishHandsTopicSubjectAndMessageOverAndAnswersTheMessageId() throws Exception {
        StepFunctionsIntegrations sf = integrations(in -> in);
        JsonNode input = JSON.readTree("{\"TopicArn\":\"arn:aws:sns:eu-west-1:1:mha\",\"Subject\":\"app1: failover failed\","
                + "\"Message\":\"the report\"}");

        JsonNode out = sf.handle("PublishFailureNotice", StepFunctionsIntegrations.SNS_PUBLISH, input);

        assertThat(published).containsExactly(List.of("arn:aws:sns:eu-west-1:1:mha", "app1: failover failed", "the report"));
        assertThat(out).isEqualTo(JSON.readTree("{\"MessageId\":\"msg-1\"}"));
    }

    @Test
    void snsPublishWithoutSubjectPassesNoSubject() throws Exception {
        StepFunctionsIntegrations sf = integrations(in -> in);

        sf.handle("PublishFailureNotice", StepFunctionsIntegrations.SNS_PUBLISH,
                JSON.readTree("{\"TopicArn\":\"arn:aws:sns:eu-west-1:1:mha\",\"Message\":\"the report\"}"));

        assertThat(published).singleElement().satisfies(p -> assertThat(p.get(1)).isNull());
    }

    @Test
    void unknownResourceIsAStatesRuntimeError() {
        StepFunctionsIntegrations sf = integrations(in -> in);

        StatesError failure = catchThrowableOfType(StatesError.class,
                () -> sf.handle("Notify", "arn:aws:states:::sqs:sendMessage", JSON.createObjectNode()));

        assertThat(failure.error()).isEqualTo("States.Runtime");
        assertThat(failure.getMessage()).contains("Notify").contains("arn:aws:states:::sqs:sendMessage");
    }
}
