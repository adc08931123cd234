package io.mhaserverless.functions;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.port.ConfigSource;
import io.mhaserverless.core.port.SecretStore;
import java.util.Optional;

/**
 * A config whose accounts name a credentialsSecret gets the secret's user and password, read when
 * the config is read (so by every phase, never cached across invocations or in a snapshot).
 */
final class SecretResolvingConfigSource implements ConfigSource {

    private final ConfigSource configs;
    private final SecretStore secrets;

    SecretResolvingConfigSource(ConfigSource configs, SecretStore secrets) {
        this.configs = configs;
        this.secrets = secrets;
    }

    @Override
    public ClusterConfig load(String cluster) {
        ClusterConfig config = configs.load(cluster);
        return config.withCredentials(resolve(config.credentials()), config.replicationCredentials().map(this::resolve));
    }

    private Credentials resolve(Credentials c) {
        if (c.password().isPresent() || c.secretId().isEmpty()) {
            return c;
        }
        SecretStore.Account account = secrets.account(c.secretId().get());
        return new Credentials(account.user(), Optional.of(account.password()), c.secretId());
    }
}
