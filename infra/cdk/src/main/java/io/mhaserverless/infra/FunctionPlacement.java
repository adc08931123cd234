package io.mhaserverless.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/** Puts a function into the operator's private network, where the MySQL hosts answer: both functions talk to them. */
final class FunctionPlacement {

    private FunctionPlacement() {
    }

    static void placeIn(Construct scope, Function.Builder builder, PrivateNetwork network) {
        // Attributes, not Vpc.fromLookup: synth stays offline and deterministic. The subnets are named
        // explicitly, so the VPC's zones are never consulted; they only have to be given.
        List<ISubnet> subnets = new ArrayList<>();
        for (String subnetId : network.subnetIds()) {
            subnets.add(Subnet.fromSubnetId(scope, "Subnet-" + subnetId, subnetId));
        }
        builder.vpc(Vpc.fromVpcAttributes(scope, "Vpc", VpcAttributes.builder()
                        .vpcId(network.vpcId())
                        .availabilityZones(Fn.getAzs())
                        .build()))
                .vpcSubnets(SubnetSelection.builder().subnets(subnets).build())
                // Immutable: the group belongs to the operator, CDK must not add rules to it.
                .securityGroups(List.of(SecurityGroup.fromSecurityGroupId(scope, "SecurityGroup", network.securityGroupId(),
                        SecurityGroupImportOptions.builder().mutable(false).build())));
    }
}
