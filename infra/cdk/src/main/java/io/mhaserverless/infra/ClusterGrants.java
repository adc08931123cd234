package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * What both functions may do to a cluster, each statement limited to the calls the functions' code
 * makes (functions/src/main/java/.../aws; a test compares them).
 */
final class ClusterGrants {

    /** The calls DynamoDbStateStore makes (TransactWriteItems is authorized as its PutItems). */
    static final List<String> TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query");

    private final Stack stack;
    private final IRole role;

    ClusterGrants(Construct scope, IRole role) {
        this.stack = Stack.of(scope);
        this.role = role;
    }

    void table(ITable table) {
        allow("StateTable", TABLE_ACTIONS, List.of(table.getTableArn()), Map.of());
    }

    /** Cluster configs only; GetParameter with decryption needs no kms grant for the default aws/ssm key. */
    void readConfigs() {
        allow("ClusterConfigs", List.of("ssm:GetParameter"), List.of(stack.formatArn(ArnComponents.builder()
                .service("ssm").resource("parameter").resourceName(PhaseFunction.CONFIG_PREFIX.substring(1) + "*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())), Map.of());
    }

    /**
     * SendCommand is authorized on the document and on each target instance: the node agent
     * document only, and only on instances tagged mha:cluster (ssm:resourceTag, as the SSM guide's
     * "restrict Run Command by tag" example does). An untagged server's command is AccessDenied.
     */
    void runNodeAgent(NodeAgentDocument nodeAgent) {
        allow("NodeAgentDocument", List.of("ssm:SendCommand"), List.of(nodeAgent.arn()), Map.of());
        allow("NodeAgentOnClusterInstances", List.of("ssm:SendCommand"),
                List.of(FunctionRole.ec2Arn(stack, "instance", "*")),
                Map.of("StringLike", Map.of("ssm:resourceTag/" + PhaseFunction.CLUSTER_TAG, "*")));
        // These take no resource ARN.
        allow("NodeAgentCommands", List.of("ssm:GetCommandInvocation", "ssm:CancelCommand", "ssm:DescribeInstanceInformation"),
                List.of("*"), Map.of());
    }

    /** Credentials secrets: named mha/..., or tagged mha:cluster by whoever may tag secrets. */
    void readSecrets() {
        allow("SecretsNamedMha", List.of("secretsmanager:GetSecretValue"), List.of(secretArn("mha/*")), Map.of());
        allow("SecretsTaggedMhaCluster", List.of("secretsmanager:GetSecretValue"), List.of(secretArn("*")),
                Map.of("Null", Map.of("aws:ResourceTag/" + PhaseFunction.CLUSTER_TAG, "false")));
    }

    void allow(String sid, List<String> actions, List<String> resources, Map<String, Object> conditions) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources);
        if (!conditions.isEmpty()) {
            statement.conditions(conditions);
        }
        role.addToPrincipalPolicy(statement.build());
    }

    private String secretArn(String name) {
        return stack.formatArn(ArnComponents.builder().service("secretsmanager").resource("secret").resourceName(name)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }
}
