package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** What a real account needs around the workflow: endpoints, the writer IP's reservation, the uncaught ends, logs. */
class AwsPrerequisitesTest {

    private static Template plain;
    private static Template full;

    @BeforeAll
    static void synth() {
        plain = TestStacks.synth(TestStacks.props());
        full = TestStacks.synth(TestStacks.inVpcProps());
    }

    @Test
    void anExecutionThatEndsWithoutACatchReachesThePhaseFunctionWhole() {
        Map<String, Map<String, Object>> rules = plain.findResources("AWS::Events::Rule", Map.of("Properties",
                Map.of("EventPattern", Match.objectLike(Map.of("source", List.of("aws.states"))))));
        assertThat(rules).hasSize(1);
        Map<String, Object> properties = TestStacks.cast(rules.values().iterator().next().get("Properties"));
        assertThat(properties.get("EventPattern")).isEqualTo(Map.of(
                "source", List.of("aws.states"),
                "detail-type", List.of("Step Functions Execution Status Change"),
                "detail", Map.of(
                        "status", List.of("FAILED", "TIMED_OUT", "ABORTED"),
                        "stateMachineArn", List.of(Map.of("Ref", only(plain, "AWS::StepFunctions::StateMachine"))))));
        List<Map<String, Object>> targets = TestStacks.cast(properties.get("Targets"));
        assertThat(targets).singleElement().satisfies(target -> {
            // The alias the state machine invokes, and no Input / InputPath / InputTransformer: the whole event.
            assertThat(target.get("Arn")).isEqualTo(Map.of("Ref", only(plain, "AWS::Lambda::Alias", "PhaseFunction")));
            assertThat(target).doesNotContainKeys("Input", "InputPath", "InputTransformer");
            assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 20, "MaximumEventAgeInSeconds", 7200));
            // What is still undelivered then is kept, not dropped.
            assertThat(target.get("DeadLetterConfig"))
                    .isEqualTo(Map.of("Arn", Map.of("Fn::GetAtt", List.of(only(plain, "AWS::SQS::Queue"), "Arn"))));
        });
        plain.hasResourceProperties("AWS::SQS::Queue", Map.of("MessageRetentionPeriod", 1_209_600, "SqsManagedSseEnabled", true));
        String ruleId = rules.keySet().iterator().next();
        plain.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Ref", only(plain, "AWS::Lambda::Alias", "PhaseFunction")),
                "SourceArn", Map.of("Fn::GetAtt", List.of(ruleId, "Arn"))));
    }

    @Test
    void theStateMachineLogsUnderVendedLogsAndTraces() {
        plain.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/aws/vendedlogs/states/MhaServerlessTest-Failover"));
        plain.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "TracingConfiguration", Map.of("Enabled", true)));
        plain.allResourcesProperties("AWS::Lambda::Function", Map.of("Runtime", "java21"));
        plain.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", PhaseFunction.HANDLER, "TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void eachWriterIpIsReservedExplicitlyInItsSubnet() {
        plain.resourceCountIs(WriterIpReservation.RESOURCE_TYPE, 0);
        full.resourceCountIs(WriterIpReservation.RESOURCE_TYPE, 1);
        full.hasResourceProperties(WriterIpReservation.RESOURCE_TYPE, Map.of(
                "SubnetId", "subnet-0a1b2c3d4e5f60718",
                "Cidr", "10.0.1.50/32",
                "ReservationType", "explicit"));
    }

    @Test
    void endpointsForEveryServiceTheFunctionsCall() {
        plain.resourceCountIs("AWS::EC2::VPCEndpoint", 0);
        full.resourceCountIs("AWS::EC2::VPCEndpoint", PrivateNetwork.ENDPOINT_SERVICES.size());
        for (String service : List.of("ec2", "secretsmanager", "sns", "ssm", "states")) {
            full.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of(
                    "ServiceName", Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), "." + service))),
                    "VpcEndpointType", "Interface",
                    "PrivateDnsEnabled", true,
                    "VpcId", TestStacks.VPC,
                    "SubnetIds", TestStacks.SUBNETS));
        }
        full.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of(
                "VpcEndpointType", "Gateway",
                "RouteTableIds", List.of("rtb-0a1b2c3d4e5f60718"),
                "ServiceName", Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".dynamodb")))));
        // The endpoints' own group admits HTTPS from the functions' group, nothing else, and sends nothing.
        full.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                "VpcId", TestStacks.VPC,
                "SecurityGroupIngress", List.of(Map.of(
                        "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443,
                        "SourceSecurityGroupId", TestStacks.SECURITY_GROUP,
                        "Description", Match.anyValue())),
                "SecurityGroupEgress", List.of(Match.objectLike(Map.of("CidrIp", "255.255.255.255/32")))));
    }

    @Test
    void networkOptionsRefuseWhatCannotWork() {
        PrivateNetwork network = new PrivateNetwork(TestStacks.VPC, TestStacks.SUBNETS, TestStacks.SECURITY_GROUP);
        assertThatThrownBy(() -> network.withEndpoints(java.util.Set.of("dynamodb"), List.of()))
                .hasMessageContaining("routeTableIds");
        assertThatThrownBy(() -> network.withEndpoints(java.util.Set.of("logs"), List.of()))
                .hasMessageContaining("vpcEndpoints").hasMessageContaining("logs");
        assertThatThrownBy(() -> new WriterIpReservation.WriterIp("subnet-0a1b2c3d4e5f60718", "10.0.1.256"))
                .hasMessageContaining("10.0.1.256");
        assertThatThrownBy(() -> WriterIpReservation.WriterIp.parse("10.0.1.50"))
                .hasMessageContaining("<subnetId>=<address>");
        assertThatThrownBy(() -> new WriterIpReservation(WriterIpReservation.Mode.PREREQUISITE,
                List.of(new WriterIpReservation.WriterIp("subnet-0a1b2c3d4e5f60718", "10.0.1.50"))))
                .hasMessageContaining("writerIpReservation=prerequisite").hasMessageContaining("writerIps");
    }

    static String only(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).as(type).hasSize(1);
        return found.keySet().iterator().next();
    }

    static String only(Template template, String type, String prefix) {
        List<String> ids = template.findResources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertThat(ids).as(type + " " + prefix + "*").hasSize(1);
        return ids.get(0);
    }
}
