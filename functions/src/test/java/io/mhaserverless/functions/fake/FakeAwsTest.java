package io.mhaserverless.functions.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The fake's fidelity: plain SDK clients (no project code) parse its answers and errors into the
 * same types as real AWS's, so what the adapters' tests see is what they would see there.
 */
class FakeAwsTest {

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
    void ec2DescribesEnisWithTheirAddressesAndAttachments() {
        aws.ec2().addInstance("i-1", "subnet-a", "10.0.1.11");
        aws.ec2().assignSecondary("i-1", "10.0.1.50");
        aws.ec2().addInstance("i-2", "subnet-a", "10.0.1.12");
        try (Ec2Client ec2 = Ec2Client.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            NetworkInterface eni = ec2.describeNetworkInterfaces(r -> r.filters(
                    Filter.builder().name("addresses.private-ip-address").values("10.0.1.50").build())).networkInterfaces().get(0);

            assertThat(eni.networkInterfaceId()).isEqualTo(aws.ec2().eniId("i-1"));
            assertThat(eni.attachment().instanceId()).isEqualTo("i-1");
            assertThat(eni.attachment().deviceIndex()).isZero();
            assertThat(eni.subnetId()).isEqualTo("subnet-a");
            assertThat(eni.privateIpAddresses()).extracting(a -> a.privateIpAddress() + "/" + a.primary())
                    .containsExactly("10.0.1.11/true", "10.0.1.50/false");
            assertThat(ec2.describeNetworkInterfaces().networkInterfaces()).hasSize(2);
        }
    }

    @Test
    void ec2ErrorsArriveAsEc2ExceptionWithTheirCode() {
        aws.ec2().addInstance("i-1", "subnet-a", "10.0.1.11");
        aws.ec2().assignSecondary("i-1", "10.0.1.50");
        String eni2 = aws.ec2().addInstance("i-2", "subnet-a", "10.0.1.12");
        try (Ec2Client ec2 = Ec2Client.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            assertThatThrownBy(() -> ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni2).privateIpAddresses("10.0.1.50")))
                    .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PrivateIpAddressInUse");
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
            assertThatThrownBy(() -> ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("no-such-filter").values("x").build())))
                    .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
            assertThatThrownBy(() -> ec2.unassignPrivateIpAddresses(r -> r.networkInterfaceId("eni-nope").privateIpAddresses("10.0.1.50")))
                    .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNetworkInterfaceID.NotFound"));
        }
        assertThat(aws.ec2().holders("10.0.1.50")).containsExactly("i-1");
    }

    @Test
    void parameterStoreKeepsVersionsAndTypedErrors() {
        try (SsmClient ssm = SsmClient.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            assertThat(ssm.putParameter(r -> r.name("/mha/clusters/app1").value("a: 1").type(ParameterType.SECURE_STRING)).version()).isEqualTo(1L);
            assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/mha/clusters/app1").value("a: 2").type(ParameterType.STRING)))
                    .isInstanceOf(ParameterAlreadyExistsException.class);
            assertThat(ssm.putParameter(r -> r.name("/mha/clusters/app1").value("a: 2").type(ParameterType.STRING).overwrite(true)).version())
                    .isEqualTo(2L);
            assertThat(ssm.getParameter(r -> r.name("/mha/clusters/app1").withDecryption(true)).parameter().value()).isEqualTo("a: 2");
            assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/nope"))).isInstanceOf(ParameterNotFoundException.class);
        }
        assertThat(aws.ssm().parameter("/mha/clusters/app1")).contains("a: 2");
    }

    @Test
    void snsChecksTheMessageStructure() {
        String topic = aws.sns().createTopic("t");
        try (SnsClient sns = SnsClient.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).messageStructure("json").message("{\"email\":\"x\"}")))
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("No default entry");
            assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).subject("a\nb").message("x")))
                    .isInstanceOf(InvalidParameterException.class);
            assertThat(sns.publish(r -> r.topicArn(topic).message("plain")).messageId()).isNotBlank();
        }
        assertThat(aws.sns().published()).extracting(FakeSns.Published::message).containsExactly("plain");
    }

    @Test
    void secretsManagerAnswersByNameAndFailsTyped() {
        aws.secretsManager().putSecret("s1", "{\"username\":\"u\"}");
        try (SecretsManagerClient sm = SecretsManagerClient.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            assertThat(sm.getSecretValue(r -> r.secretId("s1")).secretString()).isEqualTo("{\"username\":\"u\"}");
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("s2"))).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void aModelledLatencyDelaysTheAnswerOfItsOperationOnly() {
        aws.ssm().putParameter("/mha/clusters/app1", "cluster: app1", "String");
        aws.latency((service, operation) -> operation.equals("GetParameter") ? java.time.Duration.ofMillis(400)
                : java.time.Duration.ZERO);
        try (SsmClient ssm = SsmClient.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            long t0 = System.nanoTime();
            ssm.getParameter(r -> r.name("/mha/clusters/app1"));
            long took = (System.nanoTime() - t0) / 1_000_000;

            assertThat(took).as("GetParameter answered after the modelled 400 ms").isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void aModelledDeliveryDelaysTheCommandsStartOnTheInstance() throws Exception {
        aws.ssm().registerInstance("i-1");
        java.util.concurrent.CompletableFuture<Long> startedAt = new java.util.concurrent.CompletableFuture<>();
        aws.ssm().executor((instance, parameters) -> {
            startedAt.complete(System.nanoTime());
            return CommandExecutor.CommandResult.success("{}");
        });
        aws.ssm().deliveryDelay(() -> java.time.Duration.ofMillis(300));
        try (SsmClient ssm = SsmClient.builder().applyMutation(b -> common(b, aws.endpoint())).build()) {
            long sent = System.nanoTime();
            ssm.sendCommand(r -> r.instanceIds("i-1").documentName("MhaNodeAgent"));

            long delivered = startedAt.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat((delivered - sent) / 1_000_000).as("the agent started the command after the modelled delivery")
                    .isGreaterThanOrEqualTo(300);
        }
    }

    private static void common(software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?> b, URI endpoint) {
        b.region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")));
        if (b instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
    }
}
