package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ErrorAnswer;
import io.mhaserverless.node.protocol.JsonObject;
import java.io.PrintWriter;

/** The one JSON object each invocation prints on stdout (what SSM GetCommandInvocation hands to the caller). */
final class Json {

    private Json() {
    }

    static JsonObject error(String status, String message) {
        return new ErrorAnswer(status, oneLine(message)).toJson();
    }

    static void print(PrintWriter out, JsonObject json) {
        out.println(json);
        out.flush();
    }

    static String oneLine(String message) {
        String m = message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
        return m.length() > 2000 ? m.substring(0, 2000) + " …" : m;
    }
}
