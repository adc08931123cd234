package io.mhaserverless.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.constructs.Construct;

/**
 * A function's execution role without AWS managed policies. CDK would attach
 * AWSLambdaBasicExecutionRole and, in a VPC, AWSLambdaVPCAccessExecutionRole, which grants
 * ec2:AssignPrivateIpAddresses and friends on every resource: it would make the writer IP's scoped
 * statement pointless. Instead: logs to the function's own log group, and the network-interface
 * actions Lambda itself performs for a VPC function, only when Lambda performs them.
 */
final class FunctionRole {

    /**
     * Lambda puts the function's ARN into the credentials its code runs with, and not into the calls
     * it makes itself to create and delete the function's network interfaces (Lambda developer
     * guide, "Using source function ARN to control function access behavior"). A statement that
     * requires the key to be absent therefore grants Lambda what it needs and the code nothing.
     */
    static final String SOURCE_FUNCTION_ARN = "lambda:SourceFunctionArn";

    private FunctionRole() {
    }

    static Role create(Construct scope, String description, ILogGroup logs, Optional<PrivateNetwork> network) {
        Role role = Role.Builder.create(scope, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(description)
                .build();
        logs.grantWrite(role);
        network.ifPresent(vpc -> grantLambdaNetworkInterfaces(scope, role, vpc));
        return role;
    }

    private static void grantLambdaNetworkInterfaces(Construct scope, Role role, PrivateNetwork network) {
        Stack stack = Stack.of(scope);
        String networkInterfaces = ec2Arn(stack, "network-interface", "*");
        List<String> createOn = new ArrayList<>(List.of(networkInterfaces, ec2Arn(stack, "security-group", network.securityGroupId())));
        network.subnetIds().forEach(subnet -> createOn.add(ec2Arn(stack, "subnet", subnet)));
        Map<String, Object> byLambdaOnly = Map.of("Null", Map.of(SOURCE_FUNCTION_ARN, "true"));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("LambdaCreatesTheFunctionsInterfaces")
                .actions(List.of("ec2:CreateNetworkInterface"))
                .resources(createOn)
                .conditions(byLambdaOnly)
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("LambdaManagesTheFunctionsInterfaces")
                .actions(List.of("ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"))
                .resources(List.of(networkInterfaces))
                .conditions(byLambdaOnly)
                .build());
        // Describe calls take no resource ARN (DescribeNetworkInterfaces works only on "*").
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("LambdaDescribesTheFunctionsNetwork")
                .actions(List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"))
                .resources(List.of("*"))
                .build());
    }

    static String ec2Arn(Stack stack, String resource, String name) {
        return stack.formatArn(ArnComponents.builder().service("ec2").resource(resource).resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
