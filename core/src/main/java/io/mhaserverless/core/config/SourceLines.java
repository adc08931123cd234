package io.mhaserverless.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line on which each key or value of a config document starts, by JSON pointer
 * ({@code /servers/1/name}), so that a validation error can point the operator at the line to fix.
 */
final class SourceLines {

    private final Map<String, Integer> lines;

    private SourceLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static SourceLines index(JsonFactory factory, String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
            }
        }
        return new SourceLines(lines);
    }

    /** The line of {@code pointer}, or of its nearest ancestor that has one. */
    int lineOf(String pointer) {
        JsonPointer p = JsonPointer.compile(pointer);
        while (p != null) {
            Integer line = lines.get(p.toString());
            if (line != null) {
                return line;
            }
            p = p.head();
        }
        return 1;
    }
}
