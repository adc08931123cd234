package io.mhaserverless.functions.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The SDK clients as singletons, one per service and container, all built by {@link AwsClients}
 * (same timeouts, retries and HTTP client). Building one resolves no credentials and opens no
 * connection, so a SnapStart snapshot holds neither.
 */
@Factory
public class AwsClientFactory {

    /** The SDK's default chain (in Lambda: the execution role), unless a context is given another provider. */
    @Singleton
    @Secondary
    AwsCredentialsProvider credentials() {
        return DefaultCredentialsProvider.builder().build();
    }

    @Singleton
    AwsClients awsClients(AwsSettings settings, AwsCredentialsProvider credentials) {
        AwsClients.Builder b = AwsClients.builder()
                .credentials(credentials)
                .apiCallTimeout(settings.apiCallTimeout())
                .attemptTimeout(settings.attemptTimeout())
                .connectTimeout(settings.connectTimeout())
                .maxAttempts(settings.maxAttempts());
        if (settings.region() != null) {
            b.region(Region.of(settings.region()));
        }
        if (settings.endpoint() != null) {
            b.endpoint(settings.endpoint());
        }
        if (settings.endpoints() != null) {
            settings.endpoints().forEach(b::endpoint);
        }
        return b.build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDb(AwsClients clients) {
        return clients.dynamoDb();
    }

    @Singleton
    @Bean(preDestroy = "close")
    SsmClient ssm(AwsClients clients) {
        return clients.ssm();
    }

    @Singleton
    @Bean(preDestroy = "close")
    Ec2Client ec2(AwsClients clients) {
        return clients.ec2();
    }

    @Singleton
    @Bean(preDestroy = "close")
    SnsClient sns(AwsClients clients) {
        return clients.sns();
    }

    @Singleton
    @Bean(preDestroy = "close")
    SecretsManagerClient secretsManager(AwsClients clients) {
        return clients.secretsManager();
    }

    /** Only the probe starts executions; built when the probe's wiring asks for it. */
    @Singleton
    @Bean(preDestroy = "close")
    SfnClient sfn(AwsClients clients) {
        return clients.sfn();
    }
}
