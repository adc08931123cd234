package io.mhaserverless.functions;

import io.micronaut.context.annotation.Factory;
import io.mhaserverless.core.port.ConfigSource;
import io.mhaserverless.core.port.SecretStore;
import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import io.mhaserverless.functions.aws.SecretsManagerSecretStore;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where a cluster's config comes from on AWS: its YAML in Parameter Store, its MySQL accounts in
 * Secrets Manager. Both are read by every call to {@link ConfigSource#load}, never at start, so
 * neither a config nor a password is held in the context or in a snapshot.
 */
@Factory
public class ConfigPorts {

    @Singleton
    SecretStore secretStore(SecretsManagerClient secretsManager) {
        return new SecretsManagerSecretStore(secretsManager);
    }

    @Singleton
    ConfigSource configSource(SsmClient ssm, SecretStore secrets, FunctionSettings settings) {
        return new SecretResolvingConfigSource(new ParameterStoreConfigSource(ssm, settings.configPrefix()), secrets);
    }
}
