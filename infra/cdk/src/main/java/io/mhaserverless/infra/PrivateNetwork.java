package io.mhaserverless.infra;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the functions run: they must reach the MySQL servers on their private IPs, so they sit in
 * the servers' VPC. The subnets need a route to the AWS APIs the functions call: NAT, or the VPC
 * endpoints of {@link #ENDPOINT_SERVICES}, which the stack creates for the services named in
 * {@code endpoints} ({@link VpcEndpoints}).
 *
 * @param routeTableIds the route tables of the functions' subnets, for the DynamoDB gateway endpoint
 */
public record PrivateNetwork(String vpcId, List<String> subnetIds, String securityGroupId, Set<String> endpoints,
                             List<String> routeTableIds) {

    /** What the functions call, by endpoint service name; dynamodb is a gateway endpoint, the rest are interface endpoints. */
    public static final Set<String> ENDPOINT_SERVICES = Set.of("dynamodb", "ec2", "secretsmanager", "sns", "ssm", "states");

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
        endpoints = Set.copyOf(new TreeSet<>(endpoints));
        routeTableIds = List.copyOf(routeTableIds);
        Set<String> unknown = new TreeSet<>(endpoints);
        unknown.removeAll(ENDPOINT_SERVICES);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("context " + MhaServerlessProps.VPC_ENDPOINTS + " names " + unknown
                    + ", which the functions do not call; choose from " + new TreeSet<>(ENDPOINT_SERVICES) + " or \"all\"");
        }
        if (endpoints.contains("dynamodb") && routeTableIds.isEmpty()) {
            throw new IllegalArgumentException("the DynamoDB gateway endpoint goes into route tables: give context "
                    + MhaServerlessProps.ROUTE_TABLE_IDS + " (the route tables of " + subnetIds + ")");
        }
        if (!endpoints.contains("dynamodb") && !routeTableIds.isEmpty()) {
            throw new IllegalArgumentException("context " + MhaServerlessProps.ROUTE_TABLE_IDS
                    + " is only for the DynamoDB gateway endpoint, which " + MhaServerlessProps.VPC_ENDPOINTS + " does not ask for");
        }
    }

    /** Without endpoints: the subnets reach the AWS APIs some other way (NAT, endpoints made elsewhere). */
    public PrivateNetwork(String vpcId, List<String> subnetIds, String securityGroupId) {
        this(vpcId, subnetIds, securityGroupId, Set.of(), List.of());
    }

    public PrivateNetwork withEndpoints(Set<String> services, List<String> routeTables) {
        return new PrivateNetwork(vpcId, subnetIds, securityGroupId, services, routeTables);
    }
}
