package io.mhaserverless.functions;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import java.time.Duration;

/**
 * What the functions are told by their environment (set by the CDK stack), bound by Micronaut from
 * the properties {@code mha.*}, which the environment variables {@code MHA_*} supply (Micronaut's
 * convention: MHA_TOPIC_ARN is mha.topic-arn); defaults that are not text are in
 * application.properties. Only names and ARNs: credentials come from the execution role, MySQL
 * passwords from Secrets Manager.
 *
 * @param table              MHA_TABLE: the DynamoDB table of locks, last failovers and history
 * @param topicArn           MHA_TOPIC_ARN: where reports go
 * @param configPrefix       MHA_CONFIG_PREFIX: the Parameter Store path of cluster configs
 * @param ssmDocument        MHA_SSM_DOCUMENT: the node agent's SSM document
 * @param writerInterface    MHA_WRITER_INTERFACE: the host interface that binds the writer IP
 * @param waitTimeoutSeconds MHA_WAIT_TIMEOUT_SECONDS: the limit of each wait for a replica
 */
@ConfigurationProperties("mha")
public record FunctionSettings(@Nullable String table,
                               @Nullable String topicArn,
                               @Bindable(defaultValue = ParameterStoreConfigSource.DEFAULT_PREFIX) String configPrefix,
                               @Bindable(defaultValue = SsmNodeAgent.DEFAULT_DOCUMENT) String ssmDocument,
                               @Bindable(defaultValue = "eth0") String writerInterface,
                               long waitTimeoutSeconds) {

    /** Checked when the context starts, so a function with a wrong environment fails at init, not mid-failover. */
    public FunctionSettings {
        required(table, "MHA_TABLE");
        required(topicArn, "MHA_TOPIC_ARN");
        required(configPrefix, "MHA_CONFIG_PREFIX");
        required(ssmDocument, "MHA_SSM_DOCUMENT");
        required(writerInterface, "MHA_WRITER_INTERFACE");
        if (waitTimeoutSeconds < 1) {
            throw new ConfigurationException("environment variable MHA_WAIT_TIMEOUT_SECONDS: expected a whole number of seconds >= 1, got "
                    + waitTimeoutSeconds);
        }
    }

    public Duration waitTimeout() {
        return Duration.ofSeconds(waitTimeoutSeconds);
    }

    private static void required(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("environment variable " + variable + " is not set: the functions need it");
        }
    }
}
