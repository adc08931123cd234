package io.mhaserverless.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions) findings this stack keeps on purpose, each with the reason a reviewer
 * needs. Every suppression names the exact wildcard it accepts (appliesTo), so a new wildcard in a
 * later change is still reported. AwsSolutionsNagTest runs the pack.
 */
final class SecurityReview {

    private static final String ARN = "arn:<AWS::Partition>:%s:<AWS::Region>:<AWS::AccountId>:%s";

    private SecurityReview() {
    }

    /** Both functions' roles (ClusterGrants, FunctionRole). */
    static void functionRole(IRole role, boolean movesWriterIp) {
        List<NagPackSuppression> accepted = new ArrayList<>();
        accepted.add(iam5(resource("*"), "Only actions that take no resource ARN: ec2:DescribeInstances, ec2:DescribeNetworkInterfaces"
                + " and ec2:DescribeSubnets (read-only; DescribeNetworkInterfaces works only on *), ssm:GetCommandInvocation,"
                + " ssm:CancelCommand and ssm:DescribeInstanceInformation (commands are only ever sent with the node agent"
                + " document to tagged instances), and, for the traced phase function, xray:PutTraceSegments / xray:PutTelemetryRecords."));
        accepted.add(iam5(resource(String.format(ARN, "ssm", "parameter/mha/clusters/*")),
                "ssm:GetParameter on the cluster configurations only (one parameter per cluster under /mha/clusters/);"
                        + " clusters are added without redeploying the stack."));
        accepted.add(iam5(resource(String.format(ARN, "secretsmanager", "secret:mha/*")),
                "secretsmanager:GetSecretValue on the MySQL credentials secrets, which the deploy guide names mha/<cluster>...;"
                        + " their names are per cluster and unknown at deploy time."));
        accepted.add(iam5(resource(String.format(ARN, "secretsmanager", "secret:*")),
                "secretsmanager:GetSecretValue only on secrets that carry the tag mha:cluster (Null condition on"
                        + " aws:ResourceTag/mha:cluster): tagging a secret is how an operator hands it to MHA."));
        accepted.add(iam5(resource(String.format(ARN, "ec2", "instance/*")),
                "ssm:SendCommand's instance half, only on instances tagged mha:cluster (ssm:resourceTag condition); the"
                        + " document half is the node agent document alone. Which servers are a cluster's is its configuration's"
                        + " business, read at run time."));
        accepted.add(iam5(resource(String.format(ARN, "ec2", "network-interface/*")), movesWriterIp
                ? "ec2:AssignPrivateIpAddresses / UnassignPrivateIpAddresses: the writer IP moves to whichever server becomes"
                        + " master, so any ENI of the servers' VPC (ec2:Vpc condition; no tag condition, since instance tags do"
                        + " not reach ENIs). Lambda's own interface actions carry a Null lambda:SourceFunctionArn condition: the"
                        + " function's code cannot use them."
                : "Lambda's management of the function's own VPC interfaces (Create/Delete/Assign/UnassignPrivateIpAddresses),"
                        + " only when Lambda itself calls (Null lambda:SourceFunctionArn condition): the function's code cannot"
                        + " use them. Interface ids are Lambda's and unknown at deploy time."));
        NagSuppressions.addResourceSuppressions(role, accepted, true);
    }

    /** The state machine's role: what Step Functions needs for logging and tracing (added by CDK). */
    static void stateMachineRole(IConstruct role) {
        NagSuppressions.addResourceSuppressions(role, List.of(iam5(resource("*"),
                "Step Functions' log delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery,"
                        + " ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray"
                        + " (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no"
                        + " resource-level permissions; invoking Lambda and publishing to SNS are scoped to the alias and the topic.")),
                true);
    }

    static void runtime(Function function) {
        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 is a supported LTS runtime on Amazon Linux 2023 and the one the functions' SnapStart priming and"
                        + " cold starts are measured on (scripts/coldstart-bench); a newer Java runtime is a change to measure first,"
                        + " not a setting to flip.")
                .build()));
    }

    private static String resource(String arn) {
        return "Resource::" + arn;
    }

    private static NagPackSuppression iam5(String appliesTo, String reason) {
        return NagPackSuppression.builder().id("AwsSolutions-IAM5").appliesTo(List.of(appliesTo)).reason(reason).build();
    }
}
