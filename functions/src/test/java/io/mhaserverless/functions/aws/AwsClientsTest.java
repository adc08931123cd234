package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.functions.fake.FakeAws;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

class AwsClientsTest {

    FakeAws aws;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void withoutAnExplicitEndpointTheSdksOwnSettingsApply() {
        // aws.endpointUrlSsm is the system-property twin of AWS_ENDPOINT_URL_SSM.
        aws.ssm().putParameter("/p", "from the fake", "String");
        System.setProperty("aws.endpointUrlSsm", aws.endpoint().toString());
        try (SsmClient ssm = AwsClients.builder().region(Region.US_EAST_1).credentials(dummy()).build().ssm()) {
            assertThat(ssm.getParameter(r -> r.name("/p")).parameter().value()).isEqualTo("from the fake");
        } finally {
            System.clearProperty("aws.endpointUrlSsm");
        }
    }

    @Test
    void everyCallHasATimeout() {
        AwsClients impatient = AwsClients.builder().region(Region.US_EAST_1).endpoint(aws.endpoint()).credentials(dummy())
                .apiCallTimeout(Duration.ofMillis(600)).attemptTimeout(Duration.ofMillis(300)).maxAttempts(2).build();
        aws.stallNext("GetParameter", 5, Duration.ofSeconds(3));
        try (SsmClient ssm = impatient.ssm()) {
            assertThatThrownBy(() -> AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("x"))))
                    .isInstanceOf(RetryableFailure.class)
                    .satisfies(e -> assertThat(((RetryableFailure) e).errorCode()).endsWith("TimeoutException"));
        }
    }

    @Test
    void theAttemptTimeoutMayNotExceedTheCallTimeout() {
        assertThatThrownBy(() -> AwsClients.builder().apiCallTimeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AwsClients.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static StaticCredentialsProvider dummy() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x"));
    }
}
