package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SNS Publish over the query protocol (API 2010-03-31), with the checks SNS makes before it accepts
 * a message: the topic exists; the subject is at most 100 characters, not blank, with no line break
 * or control character; the message is at most 256 KB; a MessageStructure "json" message is a JSON
 * object of strings with a "default" entry.
 */
public final class FakeSns {

    static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One accepted Publish; {@code perProtocol} is the decoded message of MessageStructure json (else empty). */
    public record Published(String messageId, String topicArn, String subject, String message, String messageStructure,
                            Map<String, String> perProtocol) {
    }

    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final List<Published> published = new CopyOnWriteArrayList<>();

    public String createTopic(String name) {
        String arn = "arn:aws:sns:us-east-1:123456789012:" + name;
        topics.add(arn);
        return arn;
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    Reply handle(AwsRequest r) {
        if (!r.operation().equals("Publish")) {
            throw AwsFault.badRequest("InvalidAction", "Could not find operation " + r.operation() + " for version 2010-03-31");
        }
        String topic = r.param("TopicArn");
        if (topic == null || !topics.contains(topic)) {
            throw new AwsFault("NotFound", "Topic does not exist", 404);
        }
        String subject = r.param("Subject");
        if (subject != null && (subject.isBlank() || subject.codePointCount(0, subject.length()) > 100
                || subject.codePoints().anyMatch(Character::isISOControl))) {
            throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Subject");
        }
        String message = r.param("Message");
        if (message == null || message.isEmpty()) {
            throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Empty message");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > 262_144) {
            throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Message too long");
        }
        Map<String, String> perProtocol = new LinkedHashMap<>();
        String structure = r.param("MessageStructure");
        if (structure != null) {
            if (!structure.equals("json")) {
                throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: MessageStructure");
            }
            JsonNode parsed;
            try {
                parsed = JSON.readTree(message);
            } catch (Exception e) {
                parsed = null;
            }
            if (parsed == null || !parsed.isObject()) {
                throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Message Structure - JSON message body failed to parse");
            }
            for (Map.Entry<String, JsonNode> e : parsed.properties()) {
                if (!e.getValue().isTextual()) {
                    throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Message Structure - the value of " + e.getKey() + " is not a string");
                }
                perProtocol.put(e.getKey(), e.getValue().asText());
            }
            if (!perProtocol.containsKey("default")) {
                throw AwsFault.badRequest("InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body");
            }
        }
        String id = UUID.randomUUID().toString();
        published.add(new Published(id, topic, subject, message, structure, Map.copyOf(perProtocol)));
        return Reply.xml("<PublishResponse xmlns=\"" + NS + "\"><PublishResult><MessageId>" + id
                + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + Reply.requestId()
                + "</RequestId></ResponseMetadata></PublishResponse>");
    }
}
