package io.mhaserverless.node.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON object the agent prints: insertion-ordered fields of strings, numbers, booleans,
 * null, string arrays and nested objects. Written by hand because a JSON library costs the agent
 * about 0.2 s of start-up, and every SSM invocation starts a fresh JVM.
 */
public final class JsonObject {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JsonObject put(String key, String value) {
        return set(key, value);
    }

    public JsonObject put(String key, long value) {
        return set(key, value);
    }

    public JsonObject put(String key, double value) {
        return set(key, value);
    }

    public JsonObject put(String key, boolean value) {
        return set(key, value);
    }

    public JsonObject put(String key, JsonObject value) {
        return set(key, value);
    }

    public JsonObject put(String key, List<?> values) {
        return set(key, new ArrayList<>(values));
    }

    // One typed put per JSON value kind, so that nothing else (a Path, a record) slips in unformatted.
    private JsonObject set(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** The nested object at {@code key}, created when absent. */
    public JsonObject object(String key) {
        Object o = fields.get(key);
        if (o instanceof JsonObject j) {
            return j;
        }
        JsonObject j = new JsonObject();
        fields.put(key, j);
        return j;
    }

    public JsonObject putAll(JsonObject other) {
        fields.putAll(other.fields);
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        write(s, this);
        return s.toString();
    }

    private static void write(StringBuilder s, Object value) {
        if (value == null) {
            s.append("null");
        } else if (value instanceof JsonObject o) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : o.fields.entrySet()) {
                s.append(first ? "" : ",");
                first = false;
                string(s, e.getKey());
                s.append(':');
                write(s, e.getValue());
            }
            s.append('}');
        } else if (value instanceof List<?> list) {
            s.append('[');
            for (int i = 0; i < list.size(); i++) {
                s.append(i == 0 ? "" : ",");
                write(s, list.get(i));
            }
            s.append(']');
        } else if (value instanceof Double d) {
            s.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (value instanceof Number || value instanceof Boolean) {
            s.append(value);
        } else {
            string(s, value.toString());
        }
    }

    private static void string(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
