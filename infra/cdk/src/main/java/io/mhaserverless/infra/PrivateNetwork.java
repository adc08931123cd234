package io.mhaserverless.infra;

import java.util.List;

/**
 * Where the phase function runs: it must reach the MySQL servers on their private IPs, so in
 * production it sits in the servers' VPC. The subnets need a route to the AWS APIs it calls
 * (NAT, or VPC endpoints for DynamoDB, SSM, EC2, SNS and Secrets Manager).
 */
public record PrivateNetwork(String vpcId, List<String> subnetIds, String securityGroupId) {

    public PrivateNetwork {
        if (vpcId == null || vpcId.isBlank()) {
            throw new IllegalArgumentException("vpcId is empty");
        }
        if (subnetIds == null || subnetIds.isEmpty() || subnetIds.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("subnetIds must name at least one subnet, and no empty one");
        }
        if (securityGroupId == null || securityGroupId.isBlank()) {
            throw new IllegalArgumentException("securityGroupId is empty");
        }
        subnetIds = List.copyOf(subnetIds);
    }
}
