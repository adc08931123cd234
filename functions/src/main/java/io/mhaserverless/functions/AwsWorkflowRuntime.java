package io.mhaserverless.functions;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.port.ConfigSource;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.DynamoDbStateStore;
import io.mhaserverless.functions.aws.Ec2EniWriterIp;
import io.mhaserverless.functions.aws.FatalFailure;
import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import io.mhaserverless.functions.aws.SecretsManagerSecretStore;
import io.mhaserverless.functions.aws.SnsNotifier;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The ports on AWS (ARCHITECTURE.md §3). The SDK clients are built once per container: building
 * one opens no connection and resolves no credentials, so a SnapStart snapshot holds neither. The
 * cluster config, and the MySQL passwords in it, are read once per step and never kept.
 */
public final class AwsWorkflowRuntime implements WorkflowRuntime {

    private final FunctionSettings settings;
    private final DynamoDbClient dynamoDb;
    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final SnsClient sns;
    private final SecretsManagerClient secretsManager;

    public AwsWorkflowRuntime(FunctionSettings settings, AwsClients clients) {
        this(settings, clients.dynamoDb(), clients.ssm(), clients.ec2(), clients.sns(), clients.secretsManager());
    }

    /** Clients from elsewhere: the end-to-end suite's DynamoDB Local and wire-level fake. */
    public AwsWorkflowRuntime(FunctionSettings settings, DynamoDbClient dynamoDb, SsmClient ssm, Ec2Client ec2, SnsClient sns,
                              SecretsManagerClient secretsManager) {
        this.settings = settings;
        this.dynamoDb = dynamoDb;
        this.ssm = ssm;
        this.ec2 = ec2;
        this.sns = sns;
        this.secretsManager = secretsManager;
    }

    public static AwsWorkflowRuntime fromEnvironment() {
        return new AwsWorkflowRuntime(FunctionSettings.fromEnvironment(), AwsClients.fromEnvironment());
    }

    @Override
    public FailoverContext context(String cluster) {
        ConfigSource configs = new SecretResolvingConfigSource(new ParameterStoreConfigSource(ssm, settings.configPrefix()),
                new SecretsManagerSecretStore(secretsManager));
        ClusterConfig config = configs.load(cluster);
        SsmNodeAgent agent = new SsmNodeAgent(ssm, settings.ssmDocument(), config.credentials().secretId(),
                SsmNodeAgent.DEFAULT_DEADLINE);
        Supplier<ClusterConfig> sameConfig = () -> config; // one read per step: a phase sees one consistent config
        return FailoverContext.builder(sameConfig)
                .writerIp(writerIp(config, agent))
                .nodeAgent(agent)
                .waitTimeout(settings.waitTimeout())
                .progress((phase, message) -> System.out.println(phase + ": " + message))
                .build();
    }

    private WriterIp writerIp(ClusterConfig config, SsmNodeAgent agent) {
        switch (config.writerIp().mode()) {
            case ENI:
                return Ec2EniWriterIp.of(config.writerIp(), ec2, agent.ipBinding(settings.writerInterface()));
            case NONE:
                return WriterIp.NONE;
            default:
                throw new FatalFailure("cluster " + config.cluster() + ": writerIp mode " + config.writerIp().mode()
                        + " is for the local runtime; on AWS use {mode: eni, address: …} or none");
        }
    }

    @Override
    public StateStore stateStore() {
        return new DynamoDbStateStore(dynamoDb, settings.table());
    }

    @Override
    public Notifier notifier() {
        return new SnsNotifier(sns, settings.topicArn());
    }
}
