package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** A successful answer in the service's protocol. */
record Reply(int status, String contentType, String body) {

    static final String JSON_11 = "application/x-amz-json-1.1";

    static Reply xml(String body) {
        return new Reply(200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
    }

    static Reply json(JsonNode body) {
        return new Reply(200, JSON_11, body.toString());
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }

    /** XML text escaping: what the real services do for every value. */
    static String x(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
