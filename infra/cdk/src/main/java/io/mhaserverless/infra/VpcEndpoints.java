package io.mhaserverless.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.CfnVPCEndpoint;
import software.amazon.awscdk.services.ec2.IInterfaceVpcEndpointService;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.constructs.Construct;

/**
 * The VPC endpoints the functions need when their subnets have no NAT: interface endpoints (private
 * DNS on, so the SDK's default endpoints resolve to them) in the functions' subnets behind a security
 * group of their own that admits HTTPS from the functions' group, and the DynamoDB gateway endpoint in
 * the given route tables. Only the services asked for: a VPC may have some of them already, and a
 * second interface endpoint with private DNS for the same service fails to create.
 */
final class VpcEndpoints extends Construct {

    private static final Map<String, IInterfaceVpcEndpointService> INTERFACE_SERVICES = Map.of(
            "ec2", InterfaceVpcEndpointAwsService.EC2,
            "secretsmanager", InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
            "sns", InterfaceVpcEndpointAwsService.SNS,
            "ssm", InterfaceVpcEndpointAwsService.SSM,
            "states", InterfaceVpcEndpointAwsService.STEP_FUNCTIONS);

    VpcEndpoints(Construct scope, String id, PrivateNetwork network) {
        super(scope, id);
        IVpc vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
                .vpcId(network.vpcId()).availabilityZones(Fn.getAzs()).build());
        List<String> interfaces = network.endpoints().stream().filter(INTERFACE_SERVICES::containsKey).sorted().toList();
        if (!interfaces.isEmpty()) {
            List<ISubnet> subnets = new ArrayList<>();
            network.subnetIds().forEach(subnetId -> subnets.add(Subnet.fromSubnetId(this, "Subnet-" + subnetId, subnetId)));
            SecurityGroup endpointGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                    .vpc(vpc)
                    .description("MHA Serverless VPC endpoints: HTTPS from the functions only")
                    .allowAllOutbound(false)
                    .build();
            endpointGroup.addIngressRule(Peer.securityGroupId(network.securityGroupId()), Port.tcp(443),
                    "HTTPS from the MHA Serverless functions");
            for (String service : interfaces) {
                InterfaceVpcEndpoint.Builder.create(this, service)
                        .vpc(vpc)
                        .service(INTERFACE_SERVICES.get(service))
                        .subnets(SubnetSelection.builder().subnets(subnets).build())
                        .securityGroups(List.of(endpointGroup))
                        .privateDnsEnabled(true)
                        // open(true) would admit the whole VPC CIDR, which an imported VPC does not even know.
                        .open(false)
                        .build();
            }
        }
        if (network.endpoints().contains("dynamodb")) {
            CfnVPCEndpoint.Builder.create(this, "dynamodb")
                    .vpcId(network.vpcId())
                    .vpcEndpointType("Gateway")
                    .serviceName("com.amazonaws." + Aws.REGION + ".dynamodb")
                    .routeTableIds(network.routeTableIds())
                    .build();
        }
    }
}
