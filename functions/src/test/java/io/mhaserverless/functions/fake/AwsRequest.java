package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request as an SDK client sends it. Two wire protocols arrive at the same port:
 * <ul>
 *   <li>AWS JSON 1.1 (SSM, Secrets Manager): {@code X-Amz-Target: AmazonSSM.SendCommand}, a JSON body;</li>
 *   <li>AWS query (EC2, SNS): a form-encoded body with {@code Action=…}; the service is the one the
 *       request was signed for (the SigV4 credential scope {@code …/us-east-1/ec2/aws4_request}).</li>
 * </ul>
 */
public record AwsRequest(String service, String operation, Map<String, String> params, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/,]+/\\d{8}/[^/]+/([^/]+)/aws4_request");

    static AwsRequest parse(String target, String authorization, byte[] body) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (target != null && target.contains(".")) {
            String prefix = target.substring(0, target.indexOf('.'));
            String operation = target.substring(target.indexOf('.') + 1);
            String service = switch (prefix) {
                case "AmazonSSM" -> "ssm";
                case "secretsmanager" -> "secretsmanager";
                case "AWSStepFunctions" -> "states";
                default -> prefix;
            };
            JsonNode json = text.isBlank() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(text);
            return new AwsRequest(service, operation, Map.of(), json);
        }
        Map<String, String> form = form(text);
        String action = form.getOrDefault("Action", "");
        String service = null;
        Matcher m = authorization == null ? null : SCOPE.matcher(authorization);
        if (m != null && m.find()) {
            service = m.group(1);
        }
        if (service == null) {
            service = action.equals("Publish") ? "sns" : "ec2";
        }
        return new AwsRequest(service, action, form, null);
    }

    public String param(String name) {
        return params.get(name);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(key, value);
        }
        return Collections.unmodifiableMap(form);
    }
}
