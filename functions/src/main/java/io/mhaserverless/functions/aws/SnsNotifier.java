package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.port.Notifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * {@link Notifier} on an SNS topic: one Publish per report with MessageStructure "json", so email
 * subscribers get the text, HTTPS subscribers (AWS Chatbot's way onto a topic) a Chatbot custom
 * notification ({@link ChatNotification}), and the other machine protocols (SQS, Lambda, HTTP,
 * email-json) the report's JSON. SNS wants a subject of ASCII text, under 100 characters, without line breaks or
 * control characters, and rejects a message
 * over 256 KB; the report must still go out, so both are shortened here rather than refused there.
 */
public final class SnsNotifier implements Notifier {

    /** "Must be less than 100 characters long" (SNS Publish). */
    static final int MAX_SUBJECT_CHARS = 99;
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** Protocols that get the report's JSON; "default" and "email" get the text, "https" the chat form. */
    static final List<String> JSON_PROTOCOLS = List.of("email-json", "sqs", "lambda", "http");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns;
    private final String topicArn;

    public SnsNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(String subject, String text, String json) {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(topicArn)
                .messageStructure("json")
                .message(message(subject, text, json));
        String cleanSubject = subject(subject);
        if (!cleanSubject.isEmpty()) {
            request.subject(cleanSubject);
        }
        AwsErrors.call("SNS", "Publish", () -> sns.publish(request.build()));
    }

    /**
     * One line of printable ASCII, at most 99 characters: SNS's rules. A control character or line
     * break becomes a space, any other non-ASCII character a '?' (one per code point), and a cut
     * subject ends in "...".
     */
    static String subject(String subject) {
        if (subject == null) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        subject.codePoints().forEach(c -> line.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? ' ' : c < 0x7F ? (char) c : '?'));
        String clean = line.toString().replaceAll(" {2,}", " ").strip();
        if (clean.length() <= MAX_SUBJECT_CHARS) {
            return clean;
        }
        return clean.substring(0, MAX_SUBJECT_CHARS - 3).stripTrailing() + "...";
    }

    /**
     * The per-protocol message; a report too large for SNS keeps its subject and the start of its
     * text. SNS counts the subject in the 256 KB a publish may carry, so it counts here too.
     */
    static String message(String subject, String text, String json) {
        String full = structure(subject, text, json);
        int budget = MAX_MESSAGE_BYTES - subject(subject).getBytes(StandardCharsets.UTF_8).length;
        if (full.getBytes(StandardCharsets.UTF_8).length <= budget) {
            return full;
        }
        // Seven copies share the limit; the text alone (twice) plus a small JSON stub must fit.
        String cut = truncateUtf8(text, MAX_MESSAGE_BYTES / 8) + "\n… (report truncated: too large for SNS)\n";
        ObjectNode stub = JSON.createObjectNode();
        stub.put("subject", subject);
        stub.put("truncated", true);
        stub.put("text", truncateUtf8(text, MAX_MESSAGE_BYTES / 16));
        return structure(subject, cut, stub.toString());
    }

    private static String structure(String subject, String text, String json) {
        ObjectNode message = JSON.createObjectNode();
        message.put("default", text);
        message.put("email", text);
        for (String protocol : JSON_PROTOCOLS) {
            message.put(protocol, json);
        }
        message.put("https", ChatNotification.of(subject, text, json));
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an SNS message", e);
        }
    }

    private static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int c = s.codePointAt(end);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(c);
        }
        return s.substring(0, end);
    }

    @Override
    public String toString() {
        return "SnsNotifier[" + topicArn + "]";
    }
}
