package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets Manager GetSecretValue over AWS JSON 1.1; a secret is found by name or by ARN. */
public final class FakeSecretsManager {

    private record Secret(String name, String arn, String string, byte[] binary) {
    }

    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

    /** Stores a string secret; returns its ARN. */
    public String putSecret(String name, String secretString) {
        return put(new Secret(name, arn(name), secretString, null));
    }

    public String putBinarySecret(String name, byte[] binary) {
        return put(new Secret(name, arn(name), null, binary));
    }

    /** The SecretString stored under a name or ARN (what the SSM document would fetch on the host). */
    public Optional<String> secretString(String id) {
        return find(id).map(Secret::string);
    }

    Reply handle(AwsRequest r) {
        if (!r.operation().equals("GetSecretValue")) {
            throw AwsFault.badRequest("UnknownOperationException", "FakeSecretsManager does not implement " + r.operation());
        }
        Secret s = find(r.json().path("SecretId").asText()).orElseThrow(() ->
                AwsFault.badRequest("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("ARN", s.arn()).put("Name", s.name()).put("VersionId", UUID.randomUUID().toString())
                .put("CreatedDate", Instant.now().getEpochSecond());
        if (s.string() != null) {
            out.put("SecretString", s.string());
        } else {
            out.put("SecretBinary", Base64.getEncoder().encodeToString(s.binary()));
        }
        out.putArray("VersionStages").add("AWSCURRENT");
        return Reply.json(out);
    }

    private String put(Secret s) {
        secrets.put(s.name(), s);
        return s.arn();
    }

    private Optional<Secret> find(String id) {
        return secrets.values().stream().filter(s -> s.name().equals(id) || s.arn().equals(id)).findFirst();
    }

    private static String arn(String name) {
        String suffix = Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
        return "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-" + (suffix + "AAAAAA").substring(0, 6);
    }
}
