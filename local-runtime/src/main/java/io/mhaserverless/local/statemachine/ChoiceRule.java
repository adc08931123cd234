package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** A Choice state's rule: the comparison operators asl.json uses, and And / Or / Not around them. */
final class ChoiceRule {

    private static final Set<String> OPERATORS = Set.of("BooleanEquals", "StringEquals", "NumericEquals", "IsPresent", "IsNull",
            "IsBoolean", "IsString");

    private ChoiceRule() {
    }

    static void check(JsonNode rule, String where) {
        if (rule.has("And") || rule.has("Or")) {
            for (JsonNode r : rule.has("And") ? rule.get("And") : rule.get("Or")) {
                check(r, where);
            }
            return;
        }
        if (rule.has("Not")) {
            check(rule.get("Not"), where);
            return;
        }
        if (!rule.has("Variable") || OPERATORS.stream().noneMatch(rule::has)) {
            throw new IllegalArgumentException(where + ": a choice rule needs Variable and one of " + OPERATORS);
        }
    }

    static boolean matches(JsonNode rule, JsonNode input, JsonNode context) throws StatesError {
        if (rule.has("And")) {
            for (JsonNode r : rule.get("And")) {
                if (!matches(r, input, context)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode r : rule.get("Or")) {
                if (matches(r, input, context)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), input, context);
        }
        String variable = rule.get("Variable").asText();
        JsonNode value;
        try {
            value = JsonPaths.select(variable, input, context, "Variable");
        } catch (StatesError absent) {
            if (rule.has("IsPresent")) {
                return !rule.get("IsPresent").asBoolean();
            }
            throw absent;
        }
        if (rule.has("IsPresent")) {
            return rule.get("IsPresent").asBoolean();
        }
        if (rule.has("IsNull")) {
            return value.isNull() == rule.get("IsNull").asBoolean();
        }
        if (rule.has("IsBoolean")) {
            return value.isBoolean() == rule.get("IsBoolean").asBoolean();
        }
        if (rule.has("IsString")) {
            return value.isTextual() == rule.get("IsString").asBoolean();
        }
        if (rule.has("BooleanEquals")) {
            return value.isBoolean() && value.asBoolean() == rule.get("BooleanEquals").asBoolean();
        }
        if (rule.has("StringEquals")) {
            return value.isTextual() && value.asText().equals(rule.get("StringEquals").asText());
        }
        return value.isNumber() && value.decimalValue().compareTo(rule.get("NumericEquals").decimalValue()) == 0;
    }
}
