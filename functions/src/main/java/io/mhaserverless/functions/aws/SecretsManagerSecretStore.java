package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.port.SecretStore;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link SecretStore} on Secrets Manager: the secret is a JSON object with "username" and
 * "password" (the shape of Secrets Manager's RDS/MySQL templates). Errors name the secret and the
 * missing key, never a value: a JSON parser's message would quote the secret text, so it is dropped.
 */
public final class SecretsManagerSecretStore implements SecretStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient secrets;

    public SecretsManagerSecretStore(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public Account account(String secretId) {
        String text = AwsErrors.call("SecretsManager", "GetSecretValue",
                () -> secrets.getSecretValue(r -> r.secretId(secretId))).secretString();
        if (text == null) {
            throw new FatalFailure("secret " + secretId + " has no SecretString (a binary secret?); expected JSON with username and password");
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            json = null; // the parser's message quotes the secret: never pass it on
        }
        if (json == null || !json.isObject()) {
            throw new FatalFailure("secret " + secretId + " is not a JSON object; expected {\"username\": …, \"password\": …}");
        }
        return new Account(required(json, "username", secretId), required(json, "password", secretId));
    }

    private static String required(JsonNode json, String key, String secretId) {
        JsonNode value = json.get(key);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new FatalFailure("secret " + secretId + " has no \"" + key + "\" string");
        }
        return value.asText();
    }

    @Override
    public String toString() {
        return "SecretsManagerSecretStore";
    }
}
