package io.mhaserverless.functions.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Clients for FakeAws or DynamoDB Local: dummy keys, short timeouts, the production builder otherwise. */
final class TestAws {

    private TestAws() {
    }

    static AwsClients clients(URI endpoint) {
        return clients(endpoint, 1);
    }

    /** @param maxAttempts 1 = no SDK retries, so an injected fault reaches the adapter at once */
    static AwsClients clients(URI endpoint, int maxAttempts) {
        return AwsClients.builder()
                .region(Region.US_EAST_1)
                .endpoint(endpoint)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret")))
                .apiCallTimeout(Duration.ofSeconds(10))
                .attemptTimeout(Duration.ofSeconds(5))
                .maxAttempts(maxAttempts)
                .build();
    }
}
