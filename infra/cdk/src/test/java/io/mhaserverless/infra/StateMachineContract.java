package io.mhaserverless.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awscdk.assertions.Template;

/**
 * What statemachine/asl.json and the synthesized stack must agree on, as a list of violations
 * (empty = kept). It reads the template, not the CDK code, so it also catches a substitution that
 * points at the wrong kind of resource.
 */
final class StateMachineContract {

    static final Set<String> FUNCTION_TYPES = Set.of("AWS::Lambda::Function", "AWS::Lambda::Alias");
    static final Set<String> TOPIC_TYPES = Set.of("AWS::SNS::Topic");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}");

    private StateMachineContract() {
    }

    static List<String> violations(String definition, Template template) {
        List<String> violations = new ArrayList<>();
        Map<String, Object> substitutions = substitutions(template);
        Map<String, Object> resources = resources(template);
        Set<String> placeholders = Substitutions.placeholders(definition);
        for (String name : placeholders) {
            if (!substitutions.containsKey(name)) {
                violations.add("${" + name + "} has no DefinitionSubstitutions entry");
            }
        }
        for (Map.Entry<String, Object> e : substitutions.entrySet()) {
            String key = e.getKey();
            if (!placeholders.contains(key)) {
                violations.add("substitution " + key + " is not used by the definition");
            }
            if (key.endsWith("FunctionArn")) {
                expectResource(violations, key, e.getValue(), resources, FUNCTION_TYPES);
            } else if (key.endsWith("TopicArn")) {
                expectResource(violations, key, e.getValue(), resources, TOPIC_TYPES);
            }
        }
        violations.addAll(definitionViolations(definition));
        return violations;
    }

    /** What the definition alone must keep: ARNs only through placeholders, and only what the local engine runs. */
    static List<String> definitionViolations(String definition) {
        List<String> violations = new ArrayList<>();
        JsonNode root = parse(definition);
        checkStates(root, violations);
        checkFeatures(root, "$", violations);
        return violations;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> substitutions(Template template) {
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        if (machines.size() != 1) {
            throw new AssertionError("expected one state machine, found " + machines.keySet());
        }
        Map<String, Object> properties = (Map<String, Object>) machines.values().iterator().next().get("Properties");
        Object substitutions = properties.get("DefinitionSubstitutions");
        return substitutions == null ? Map.of() : (Map<String, Object>) substitutions;
    }

    /** The logical id a Ref or Fn::GetAtt points at. */
    static Optional<String> referencedLogicalId(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.get("Ref") instanceof String ref) {
                return Optional.of(ref);
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt && !getAtt.isEmpty()) {
                return Optional.of(String.valueOf(getAtt.get(0)));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resources(Template template) {
        return (Map<String, Object>) template.toJSON().get("Resources");
    }

    @SuppressWarnings("unchecked")
    private static void expectResource(List<String> violations, String key, Object value, Map<String, Object> resources,
                                       Set<String> types) {
        Optional<String> id = referencedLogicalId(value);
        if (id.isEmpty()) {
            violations.add("substitution " + key + " is " + value + ", not a Ref / Fn::GetAtt of one of " + types);
            return;
        }
        Object resource = resources.get(id.get());
        String type = resource == null ? null : String.valueOf(((Map<String, Object>) resource).get("Type"));
        if (type == null) {
            violations.add("substitution " + key + " points at " + id.get() + ", which is not in the template");
        } else if (!types.contains(type)) {
            violations.add("substitution " + key + " points at " + id.get() + ", a " + type + ", not one of " + types);
        }
    }

    private static void checkStates(JsonNode machine, List<String> violations) {
        for (Map.Entry<String, JsonNode> entry : machine.path("States").properties()) {
            String name = entry.getKey();
            JsonNode state = entry.getValue();
            if ("Task".equals(state.path("Type").asText())) {
                String resource = state.path("Resource").asText();
                if (resource.startsWith("arn:") && resource.contains(":lambda:") && resource.contains(":function:")) {
                    violations.add("Task " + name + " names a Lambda ARN as its Resource; use lambda:invoke with a placeholder");
                }
                JsonNode parameters = state.path("Parameters");
                if (parameters.has("FunctionName.$")) {
                    violations.add("Task " + name + " computes FunctionName at run time; it must be a placeholder");
                }
                if (parameters.has("FunctionName")) {
                    String function = parameters.path("FunctionName").asText();
                    if (!WHOLE_PLACEHOLDER.matcher(function).matches()) {
                        violations.add("Task " + name + " has FunctionName " + function + ", not a ${...} placeholder");
                    }
                }
            }
            // Map (ItemProcessor, or the older Iterator) and Parallel (Branches) nest whole state machines.
            checkStates(state.path("ItemProcessor"), violations);
            checkStates(state.path("Iterator"), violations);
            for (JsonNode branch : state.path("Branches")) {
                checkStates(branch, violations);
            }
        }
    }

    private static void checkFeatures(JsonNode node, String path, List<String> violations) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = path + "." + field.getKey();
                JsonNode value = field.getValue();
                if (field.getKey().equals("QueryLanguage") && value.asText().equalsIgnoreCase("JSONata")) {
                    violations.add(at + " is JSONata, which the local engine does not run");
                }
                if (field.getKey().equals("Resource") && (value.asText().contains(".sync") || value.asText().contains(".waitForTaskToken"))) {
                    violations.add(at + " is " + value.asText() + ": .sync / .waitForTaskToken integrations do not run locally");
                }
                checkFeatures(value, at, violations);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkFeatures(node.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    private static JsonNode parse(String definition) {
        try {
            return JSON.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the state machine definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
