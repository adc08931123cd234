package io.mhaserverless.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The line on which each key or value of a config document starts, by JSON pointer
 * ({@code /servers/1/name}), so that a validation error can point the operator at the line to fix;
 * and each number as it was written, so that {@code password: 0123} stays {@code 0123} (YAML would
 * read it as the octal number 83).
 */
final class SourceLines {

    private final Map<String, Integer> lines;
    private final Map<String, String> numbers;

    private SourceLines(Map<String, Integer> lines, Map<String, String> numbers) {
        this.lines = lines;
        this.numbers = numbers;
    }

    static SourceLines index(JsonFactory factory, String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> numbers = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
                if (t.isNumeric()) {
                    numbers.put(pointer, p.getText());
                }
            }
        }
        return new SourceLines(lines, numbers);
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

    /** The text of the number at {@code pointer} exactly as the document spells it. */
    Optional<String> numberText(String pointer) {
        return Optional.ofNullable(numbers.get(pointer));
    }
}
