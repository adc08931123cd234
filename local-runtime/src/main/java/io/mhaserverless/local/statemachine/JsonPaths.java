package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The reference paths of ASL ({@code $}, {@code $.a.b}, {@code $.a[0]}, {@code $$.Execution.Id})
 * and the payload templates of Parameters, ItemSelector and ResultSelector (keys ending in
 * {@code .$} take a path's value). That is all asl.json uses; anything else — filters, wildcards,
 * intrinsic functions — is a {@link StatesError#RUNTIME} naming the field, not a silent guess.
 */
final class JsonPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPaths() {
    }

    /** The value at {@code path}: {@code $…} in the input, {@code $$…} in the context object. */
    static JsonNode select(String path, JsonNode input, JsonNode context, String field) throws StatesError {
        JsonNode root;
        String rest;
        if (path.startsWith("$$")) {
            root = context;
            rest = path.substring(2);
        } else if (path.startsWith("$")) {
            root = input;
            rest = path.substring(1);
        } else {
            throw new StatesError(StatesError.RUNTIME, "the value of " + field + " is not a path: " + path);
        }
        JsonNode node = root;
        for (Object step : steps(rest, field)) {
            node = step instanceof Integer i ? (node != null && node.isArray() ? node.get(i) : null)
                    : (node != null && node.isObject() ? node.get((String) step) : null);
            if (node == null) {
                throw new StatesError(StatesError.RUNTIME, "the JSONPath " + path + " specified for the field " + field
                        + " could not be found in the input");
            }
        }
        return node;
    }

    /** InputPath and OutputPath: a path selects, null gives {}, absence keeps the whole input. */
    static JsonNode filter(JsonNode state, String field, JsonNode input, JsonNode context) throws StatesError {
        if (!state.has(field)) {
            return input;
        }
        JsonNode path = state.get(field);
        if (path.isNull()) {
            return NODES.objectNode();
        }
        return select(path.asText(), input, context, field);
    }

    /** ResultPath: where the result goes in a copy of the raw input; null drops the result, absence is {@code $}. */
    static JsonNode place(JsonNode state, JsonNode rawInput, JsonNode result) throws StatesError {
        JsonNode path = state.get("ResultPath");
        if (path == null) {
            return result;
        }
        return place(path.isNull() ? null : path.asText(), rawInput, result);
    }

    static JsonNode place(String path, JsonNode rawInput, JsonNode result) throws StatesError {
        if (path == null) {
            return rawInput;
        }
        if (path.equals("$")) {
            return result;
        }
        if (!path.startsWith("$.") || !rawInput.isObject()) {
            throw new StatesError(StatesError.RUNTIME, "ResultPath " + path + " cannot be applied to the state's input");
        }
        List<Object> steps = steps(path.substring(1), "ResultPath");
        ObjectNode copy = rawInput.deepCopy();
        ObjectNode node = copy;
        for (int i = 0; i < steps.size() - 1; i++) {
            if (!(steps.get(i) instanceof String name)) {
                throw new StatesError(StatesError.RUNTIME, "ResultPath " + path + ": array indexes are not supported");
            }
            JsonNode next = node.get(name);
            node = next instanceof ObjectNode o ? o : node.putObject(name);
        }
        if (!(steps.get(steps.size() - 1) instanceof String last)) {
            throw new StatesError(StatesError.RUNTIME, "ResultPath " + path + ": array indexes are not supported");
        }
        node.set(last, result == null ? NullNode.getInstance() : result);
        return copy;
    }

    /** A payload template (Parameters, ItemSelector, ResultSelector) filled from the input and the context. */
    static JsonNode template(JsonNode template, JsonNode input, JsonNode context, String field) throws StatesError {
        if (template.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith(".$")) {
                    String key = e.getKey().substring(0, e.getKey().length() - 2);
                    String expression = e.getValue().asText();
                    out.set(key, expression.startsWith("States.") ? intrinsic(expression, input, context, field + "." + e.getKey())
                            : select(expression, input, context, field + "." + e.getKey()).deepCopy());
                } else {
                    out.set(e.getKey(), template(e.getValue(), input, context, field + "." + e.getKey()));
                }
            }
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : template) {
                out.add(template(item, input, context, field));
            }
            return out;
        }
        return template.deepCopy();
    }

    /** The intrinsic functions asl.json uses: {@code States.JsonToString(path)}. */
    private static JsonNode intrinsic(String expression, JsonNode input, JsonNode context, String field) throws StatesError {
        String prefix = "States.JsonToString(";
        if (expression.startsWith(prefix) && expression.endsWith(")")) {
            String path = expression.substring(prefix.length(), expression.length() - 1).trim();
            return NODES.textNode(select(path, input, context, field).toString());
        }
        throw new StatesError(StatesError.RUNTIME, field + ": the intrinsic function " + expression
                + " is not supported by the local runtime (only States.JsonToString)");
    }

    /** {@code .a.b[2].c} as names and indexes. */
    private static List<Object> steps(String rest, String field) throws StatesError {
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                String name = rest.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*")) {
                    throw unsupported(rest, field);
                }
                steps.add(name);
                i = end;
            } else if (c == '[') {
                int end = rest.indexOf(']', i);
                if (end < 0) {
                    throw unsupported(rest, field);
                }
                try {
                    steps.add(Integer.parseInt(rest.substring(i + 1, end)));
                } catch (NumberFormatException e) {
                    throw unsupported(rest, field);
                }
                i = end + 1;
            } else {
                throw unsupported(rest, field);
            }
        }
        return steps;
    }

    private static StatesError unsupported(String rest, String field) {
        return new StatesError(StatesError.RUNTIME, field + ": the path $" + rest
                + " uses JSONPath the local runtime does not support (only $.name, [index] and $$.context)");
    }
}
