package io.mhaserverless.functions;

import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the phase function is told by its environment (set by the CDK stack). Only names and
 * ARNs: credentials come from the execution role, MySQL passwords from Secrets Manager.
 *
 * @param table           MHA_TABLE: the DynamoDB table of locks, last failovers and history
 * @param topicArn        MHA_TOPIC_ARN: where reports go
 * @param configPrefix    MHA_CONFIG_PREFIX: the Parameter Store path of cluster configs
 * @param ssmDocument     MHA_SSM_DOCUMENT: the node agent's SSM document
 * @param writerInterface MHA_WRITER_INTERFACE: the host interface that binds the writer IP
 * @param waitTimeout     MHA_WAIT_TIMEOUT_SECONDS: the limit of each wait for a replica
 * @param endpoint        one endpoint for every AWS service (the local end-to-end suite); empty in Lambda
 */
public record FunctionSettings(String table, String topicArn, String configPrefix, String ssmDocument, String writerInterface,
                               Duration waitTimeout, Optional<URI> endpoint) {

    public static FunctionSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static FunctionSettings from(Map<String, String> env) {
        return new FunctionSettings(required(env, "MHA_TABLE"), required(env, "MHA_TOPIC_ARN"),
                env.getOrDefault("MHA_CONFIG_PREFIX", ParameterStoreConfigSource.DEFAULT_PREFIX),
                env.getOrDefault("MHA_SSM_DOCUMENT", SsmNodeAgent.DEFAULT_DOCUMENT),
                env.getOrDefault("MHA_WRITER_INTERFACE", "eth0"),
                Duration.ofSeconds(seconds(env, "MHA_WAIT_TIMEOUT_SECONDS", 60)),
                Optional.empty());
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set: the phase function needs it");
        }
        return v;
    }

    private static long seconds(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long s = Long.parseLong(v.trim());
            if (s >= 1) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + name + ": expected a whole number of seconds >= 1, got '" + v + "'");
    }
}
