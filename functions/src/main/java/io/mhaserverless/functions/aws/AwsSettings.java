package io.mhaserverless.functions.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the SDK clients are built ({@code mha.aws.*}). In Lambda nothing here is set: region,
 * credentials and endpoints come from the SDK's own chains (AWS_REGION, the execution role,
 * AWS_ENDPOINT_URL…) and the timeouts are {@link AwsClients}' defaults (application.properties). Tests and the local
 * end-to-end suite point the clients at FakeAws and DynamoDB Local with these.
 *
 * @param region         the SDK's region chain when unset
 * @param endpoint       one endpoint for every service
 * @param endpoints      per service, by the SDK's service name ({@code mha.aws.endpoints.dynamodb}), before {@code endpoint}
 * @param apiCallTimeoutMs one call with its retries
 * @param attemptTimeoutMs one attempt (and the socket's read timeout)
 * @param connectTimeoutMs one TCP connect
 * @param maxAttempts    1 = no SDK retries
 */
@ConfigurationProperties("mha.aws")
public record AwsSettings(@Nullable String region,
                          @Nullable URI endpoint,
                          @Nullable Map<String, URI> endpoints,
                          long apiCallTimeoutMs,
                          long attemptTimeoutMs,
                          long connectTimeoutMs,
                          int maxAttempts) {

    public AwsSettings {
        if (maxAttempts < 1) {
            throw new ConfigurationException("environment variable MHA_AWS_MAX_ATTEMPTS (mha.aws.max-attempts): expected at least 1, got "
                    + maxAttempts);
        }
        positive(apiCallTimeoutMs, "api-call-timeout-ms");
        positive(attemptTimeoutMs, "attempt-timeout-ms");
        positive(connectTimeoutMs, "connect-timeout-ms");
        if (attemptTimeoutMs > apiCallTimeoutMs) {
            throw new ConfigurationException("environment variable MHA_AWS_ATTEMPT_TIMEOUT_MS (mha.aws.attempt-timeout-ms): "
                    + attemptTimeoutMs + " ms exceeds the call timeout of " + apiCallTimeoutMs + " ms");
        }
    }

    public Duration apiCallTimeout() {
        return Duration.ofMillis(apiCallTimeoutMs);
    }

    public Duration attemptTimeout() {
        return Duration.ofMillis(attemptTimeoutMs);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(connectTimeoutMs);
    }

    private static void positive(long millis, String property) {
        if (millis < 1) {
            throw new ConfigurationException("environment variable MHA_AWS_" + property.toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                    + " (mha.aws." + property + "): expected milliseconds >= 1, got " + millis);
        }
    }
}
