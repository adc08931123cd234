package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chat form against AWS Chatbot's documented custom-notification event schema
 * (docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): version "1.0" and source
 * "custom" required; content {textType "client-markdown", title, description, nextSteps[],
 * keywords[]}; metadata {threadId, summary, eventType, relatedResources[], additionalContext of strings};
 * nothing else.
 */
class ChatNotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("version", "source", "id", "content", "metadata");
    private static final Set<String> CONTENT = Set.of("textType", "title", "description", "nextSteps", "keywords");
    private static final Set<String> METADATA = Set.of("threadId", "summary", "eventType", "relatedResources", "additionalContext");

    static void assertChatbotShape(JsonNode event) {
        assertThat(event.isObject()).isTrue();
        assertThat(iterable(event.fieldNames())).isSubsetOf(TOP);
        assertThat(event.path("version").asText()).isEqualTo("1.0");
        assertThat(event.path("source").asText()).isEqualTo("custom");
        JsonNode content = event.get("content");
        assertThat(content.isObject()).isTrue();
        assertThat(iterable(content.fieldNames())).isSubsetOf(CONTENT);
        assertThat(content.get("description").isTextual()).isTrue();
        assertThat(content.get("description").asText()).isNotBlank();
        if (content.has("textType")) {
            assertThat(content.get("textType").asText()).isEqualTo("client-markdown");
        }
        if (content.has("title")) {
            assertThat(content.get("title").isTextual()).isTrue();
        }
        for (String list : List.of("nextSteps", "keywords")) {
            if (content.has(list)) {
                assertThat(content.get(list).isArray()).isTrue();
                content.get(list).forEach(s -> assertThat(s.isTextual()).isTrue());
            }
        }
        JsonNode metadata = event.get("metadata");
        if (metadata != null) {
            assertThat(iterable(metadata.fieldNames())).isSubsetOf(METADATA);
            for (String text : List.of("threadId", "summary", "eventType")) {
                if (metadata.has(text)) {
                    assertThat(metadata.get(text).isTextual()).as(text).isTrue();
                }
            }
            if (metadata.has("additionalContext")) {
                metadata.get("additionalContext").forEach(v -> assertThat(v.isTextual()).isTrue());
            }
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aSucceededFailoverIsAChatbotCustomNotificationWithTheAckAsNextStep() throws Exception {
        String text = "----- Failover Report -----\n\napp1: MySQL master failover db1(10.0.1.11:3306) to db2(10.0.1.12:3306) succeeded\n";
        String json = "{\"cluster\":\"app1\",\"outcome\":\"succeeded\",\"deadMaster\":\"db1\",\"newMaster\":\"db2\",\"replicas\":[]}";

        JsonNode event = JSON.readTree(ChatNotification.of("app1: MySQL master failover db1 to db2 succeeded", text, json));

        assertChatbotShape(event);
        assertThat(event.at("/content/title").asText()).isEqualTo("app1: MySQL master failover db1 to db2 succeeded");
        assertThat(event.at("/content/description").asText()).startsWith("```\n----- Failover Report -----").endsWith("\n```");
        assertThat(event.at("/content/nextSteps").toString()).contains("acknowledge with `mha ack --cluster app1`".substring(1));
        assertThat(event.at("/metadata/threadId").asText()).isEqualTo("mha-app1");
        assertThat(event.at("/metadata/additionalContext/newMaster").asText()).isEqualTo("db2");
    }

    @Test
    void everyOutcomeAndAnUnreadableReportKeepTheShape() throws Exception {
        for (String outcome : List.of("succeeded", "partial", "possible-loss", "failed", "refused")) {
            JsonNode event = JSON.readTree(ChatNotification.of("app1: failover " + outcome, "text",
                    "{\"cluster\":\"app1\",\"outcome\":\"" + outcome + "\",\"failedPhase\":\"MoveWriterIp\"}"));
            assertChatbotShape(event);
            assertThat(event.at("/content/nextSteps").size()).isPositive();
        }
        assertThat(JSON.readTree(ChatNotification.of("app1: failover failed", "text", "{\"cluster\":\"app1\",\"outcome\":\"failed\","
                + "\"failedPhase\":\"MoveWriterIp\"}")).at("/content/nextSteps/0").asText()).contains("MoveWriterIp");
        JsonNode switchover = JSON.readTree(ChatNotification.of("app1: switchover", "t",
                "{\"cluster\":\"app1\",\"mode\":\"switchover\",\"outcome\":\"succeeded\"}"));
        assertChatbotShape(switchover);
        assertThat(switchover.at("/metadata/eventType").asText()).isEqualTo("MhaSwitchoverReport");
        assertChatbotShape(JSON.readTree(ChatNotification.of(null, "", "not json")));
    }

    @Test
    void aLongReportIsCutAndTheShapeCheckCanFail() throws Exception {
        JsonNode event = JSON.readTree(ChatNotification.of("s", "x".repeat(10_000), "{}"));
        assertThat(event.at("/content/description").asText()).hasSizeLessThan(ChatNotification.MAX_DESCRIPTION_CHARS + 200);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("version", "2.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertChatbotShape(event)).isInstanceOf(AssertionError.class);
    }
}
