package io.mhaserverless.functions.aws;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The one place that builds AWS clients, so every client gets the same region, credentials, HTTP
 * client and — above all — timeouts: every AWS call has one (apiCallTimeout for the call with its
 * retries, apiCallAttemptTimeout per attempt), so no phase can hang on the network.
 *
 * <p>Region and credentials come from the SDK's default chains (in Lambda: AWS_REGION and the
 * execution role). Without an explicit {@link Builder#endpoint(URI)} the SDK picks the endpoint
 * itself and so honours {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>}; tests and
 * the local runtime pass a URI (DynamoDB Local, FakeAws).
 */
public final class AwsClients {

    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The SDK's standard mode: a throttled or failed attempt is tried twice more with jittered backoff. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final Optional<Region> region;
    private final Optional<URI> endpoint;
    private final Map<String, URI> serviceEndpoints;
    private final AwsCredentialsProvider credentials;
    private final Duration apiCallTimeout;
    private final Duration attemptTimeout;
    private final Duration connectTimeout;
    private final int maxAttempts;

    private AwsClients(Builder b) {
        this.region = Optional.ofNullable(b.region);
        this.endpoint = Optional.ofNullable(b.endpoint);
        this.serviceEndpoints = Map.copyOf(b.serviceEndpoints);
        this.credentials = b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build();
        this.apiCallTimeout = b.apiCallTimeout;
        this.attemptTimeout = b.attemptTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxAttempts = b.maxAttempts;
    }

    /** Everything from the environment: what a Lambda uses. */
    public static AwsClients fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME);
    }

    public Ec2Client ec2() {
        return build(Ec2Client.builder(), Ec2Client.SERVICE_NAME);
    }

    public SsmClient ssm() {
        return build(SsmClient.builder(), SsmClient.SERVICE_NAME);
    }

    public SnsClient sns() {
        return build(SnsClient.builder(), SnsClient.SERVICE_NAME);
    }

    public SecretsManagerClient secretsManager() {
        return build(SecretsManagerClient.builder(), SecretsManagerClient.SERVICE_NAME);
    }

    public SfnClient sfn() {
        return build(SfnClient.builder(), SfnClient.SERVICE_NAME);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String service) {
        region.ifPresent(builder::region);
        Optional.ofNullable(serviceEndpoints.get(service)).or(() -> endpoint).ifPresent(builder::endpointOverride);
        builder.credentialsProvider(credentials);
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(attemptTimeout));
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(apiCallTimeout)
                .apiCallAttemptTimeout(attemptTimeout)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build())
                .build());
        return builder.build();
    }

    public static final class Builder {
        private Region region;
        private URI endpoint;
        private final Map<String, URI> serviceEndpoints = new HashMap<>();
        private AwsCredentialsProvider credentials;
        private Duration apiCallTimeout = DEFAULT_API_CALL_TIMEOUT;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        private Builder() {
        }

        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** One endpoint for every service (DynamoDB Local or FakeAws); without it, the SDK's own resolution. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * One service's endpoint, before {@link #endpoint(URI)}: DynamoDB Local beside FakeAws.
         *
         * @param service the SDK's service name ({@code DynamoDbClient.SERVICE_NAME}: dynamodb, ec2, ssm, sns, secretsmanager)
         */
        public Builder endpoint(String service, URI endpoint) {
            this.serviceEndpoints.put(service, Objects.requireNonNull(endpoint));
            return this;
        }

        /** Replaces the default chain (tests: static dummy keys). */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder apiCallTimeout(Duration timeout) {
            this.apiCallTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** 1 = no SDK retries: the step fails fast and the state machine decides. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public AwsClients build() {
            if (attemptTimeout.compareTo(apiCallTimeout) > 0) {
                throw new IllegalArgumentException("the attempt timeout " + attemptTimeout + " exceeds the call timeout " + apiCallTimeout);
            }
            return new AwsClients(this);
        }
    }
}
