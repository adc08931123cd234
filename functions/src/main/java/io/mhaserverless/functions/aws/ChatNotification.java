package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification: the
 * documented event shape ({@code version} "1.0", {@code source} "custom", {@code content} with a
 * title, a markdown description and next steps, {@code metadata} with a thread per cluster), which
 * Chatbot posts to Slack or Teams as a readable message. SNS sends it to HTTPS subscribers, which is
 * how Chatbot subscribes to a topic; e-mail keeps the MHA-style text.
 */
final class ChatNotification {

    /** Enough of the report for a chat message; the rest is in e-mail, {@code mha history} and the JSON. */
    static final int MAX_DESCRIPTION_CHARS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatNotification() {
    }

    static String of(String subject, String text, String reportJson) {
        JsonNode report = parse(reportJson);
        String cluster = report.path("cluster").asText("");
        String outcome = report.path("outcome").asText("");
        boolean switchover = "switchover".equals(report.path("mode").asText());

        ObjectNode event = JSON.createObjectNode();
        event.put("version", "1.0");
        event.put("source", "custom");
        ObjectNode content = event.putObject("content");
        content.put("textType", "client-markdown");
        content.put("title", subject == null || subject.isBlank() ? "MHA report" : subject);
        content.put("description", description(text));
        List<String> steps = nextSteps(cluster, outcome, switchover, report.path("failedPhase").asText(""));
        steps.forEach(content.putArray("nextSteps")::add);
        var keywords = content.putArray("keywords");
        for (String k : List.of(cluster, outcome, switchover ? "switchover" : "failover")) {
            if (!k.isEmpty()) {
                keywords.add(k);
            }
        }
        ObjectNode metadata = event.putObject("metadata");
        if (!cluster.isEmpty()) {
            metadata.put("threadId", "mha-" + cluster); // one thread per cluster in the channel
        }
        metadata.put("summary", content.get("title").asText());
        metadata.put("eventType", switchover ? "MhaSwitchoverReport" : "MhaFailoverReport");
        ObjectNode context = metadata.putObject("additionalContext");
        for (String key : List.of("cluster", "outcome", "deadMaster", "origMaster", "newMaster", "failedPhase")) {
            JsonNode v = report.get(key);
            if (v != null && v.isValueNode() && !v.isNull()) {
                context.put(key, v.asText()); // the schema's additionalContext values are strings
            }
        }
        return event.toString();
    }

    private static String description(String text) {
        String body = text == null ? "" : text.strip();
        if (body.length() > MAX_DESCRIPTION_CHARS) {
            body = body.substring(0, MAX_DESCRIPTION_CHARS) + "\n… (the whole report is in the e-mail and in mha history)";
        }
        // a code block keeps the report's columns and stops chat markdown from reading host:port or * as markup
        return "```\n" + body.replace("```", "'''") + "\n```";
    }

    private static List<String> nextSteps(String cluster, String outcome, boolean switchover, String failedPhase) {
        List<String> steps = new ArrayList<>();
        String c = cluster.isEmpty() ? "<cluster>" : cluster;
        switch (outcome) {
            case "failed" -> {
                steps.add("Fix what the error above names" + (failedPhase.isEmpty() ? "" : " (" + failedPhase + ")")
                        + "; starting the failover again resumes from the failed phase.");
                steps.add("Acknowledge with `mha ack --cluster " + c + "` once handled: until then the next automatic failover is refused.");
            }
            case "refused" -> steps.add("Nothing was changed. Check the cluster with `mha check-repl` and `mha status --cluster " + c + "`.");
            default -> {
                if (outcome.contains("partial") || outcome.contains("not recovered")) {
                    steps.add("Repoint the replicas the report lists as not recovered to the new master.");
                }
                if (outcome.contains("loss") || outcome.contains("lost")) {
                    steps.add("Check the transactions the report says may be lost.");
                }
                if (!switchover) {
                    steps.add("Acknowledge with `mha ack --cluster " + c + "`, so that the next automatic failover is not refused.");
                }
            }
        }
        steps.add("See the cluster now with `mha status --cluster " + c + "`.");
        return steps;
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = json == null ? null : JSON.readTree(json);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode(); // a report whose JSON is damaged still reaches the channel
        }
    }
}
