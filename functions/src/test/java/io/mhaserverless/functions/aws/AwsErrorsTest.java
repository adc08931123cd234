package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.functions.fake.FakeAws;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The retryable/fatal split, through real SDK clients and real error envelopes. */
class AwsErrorsTest {

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
    void throttlingIsRetryableInEveryProtocol() {
        try (Ec2Client ec2 = TestAws.clients(aws.endpoint()).ec2(); SsmClient ssm = TestAws.clients(aws.endpoint()).ssm()) {
            aws.failNext("DescribeNetworkInterfaces", 1, "RequestLimitExceeded", 503);
            assertThatThrownBy(() -> AwsErrors.call("EC2", "DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces()))
                    .isInstanceOf(RetryableFailure.class)
                    .satisfies(e -> assertThat(((RetryableFailure) e).errorCode()).isEqualTo("RequestLimitExceeded"))
                    .satisfies(e -> assertThat(((RetryableFailure) e).service()).isEqualTo("EC2"))
                    .satisfies(e -> assertThat(((RetryableFailure) e).operation()).isEqualTo("DescribeNetworkInterfaces"));

            aws.failNext("GetParameter", 1, "ThrottlingException", 400);
            assertThatThrownBy(() -> AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("x"))))
                    .isInstanceOf(RetryableFailure.class)
                    .hasMessage("SSM GetParameter failed: ThrottlingException (HTTP 400): injected by FakeAws");
        }
    }

    @Test
    void serverErrorsAreRetryable() {
        try (SsmClient ssm = TestAws.clients(aws.endpoint()).ssm()) {
            aws.failNext("GetParameter", 1, "ServiceUnavailable", 503);
            assertThatThrownBy(() -> AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("x"))))
                    .isInstanceOf(RetryableFailure.class).hasMessageContaining("(HTTP 503)");

            aws.failNext("GetParameter", 1, "SomethingNew", 502);
            assertThatThrownBy(() -> AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("x"))))
                    .isInstanceOf(RetryableFailure.class);
        }
    }

    @Test
    void validationAndAccessErrorsAreFatal() {
        try (Ec2Client ec2 = TestAws.clients(aws.endpoint()).ec2()) {
            aws.failNext("DescribeNetworkInterfaces", 1, "InvalidParameterValue", 400);
            assertThatThrownBy(() -> AwsErrors.call("EC2", "DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces()))
                    .isInstanceOf(FatalFailure.class)
                    .hasMessage("EC2 DescribeNetworkInterfaces failed: InvalidParameterValue (HTTP 400): injected by FakeAws");

            aws.failNext("DescribeNetworkInterfaces", 1, "UnauthorizedOperation", 403);
            assertThatThrownBy(() -> AwsErrors.call("EC2", "DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces()))
                    .isInstanceOf(FatalFailure.class).hasMessageContaining("UnauthorizedOperation (HTTP 403)");
        }
    }

    @Test
    void theSdkRetriesThrottlingItselfBeforeTheStepFails() {
        try (SsmClient ssm = TestAws.clients(aws.endpoint(), 3).ssm()) {
            aws.ssm().putParameter("/p", "v", "String");
            aws.failNext("GetParameter", 2, "ThrottlingException", 400);

            assertThat(AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("/p"))).parameter().value())
                    .isEqualTo("v");
            assertThat(aws.calls("GetParameter")).hasSize(3);
        }
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (SsmClient ssm = TestAws.clients(URI.create("http://127.0.0.1:" + closed)).ssm()) {
            assertThatThrownBy(() -> AwsErrors.call("SSM", "GetParameter", () -> ssm.getParameter(r -> r.name("x"))))
                    .isInstanceOf(RetryableFailure.class).hasMessageStartingWith("SSM GetParameter failed: SdkClientException");
        }
    }

    @Test
    void aClientSetupErrorIsFatal() {
        RuntimeException mapped = AwsErrors.map("SSM", "GetParameter",
                SdkClientException.create("Unable to load region from any of the providers in the chain"));

        assertThat(mapped).isInstanceOf(FatalFailure.class)
                .hasMessage("SSM GetParameter failed: SdkClientException: Unable to load region from any of the providers in the chain");
    }
}
