package io.mhaserverless.functions;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.functions.aws.Ec2EniWriterIp;
import io.mhaserverless.functions.aws.FatalFailure;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The ports that act on a cluster's hosts, on AWS. They depend on the cluster's config (its
 * credentials secret, its writer IP), which is read per step, so this singleton makes them per
 * step instead of being them: the node agent through SSM Run Command, the writer IP as an ENI's
 * secondary address.
 */
@Singleton
public class HostPorts {

    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final FunctionSettings settings;

    public HostPorts(SsmClient ssm, Ec2Client ec2, FunctionSettings settings) {
        this.ssm = ssm;
        this.ec2 = ec2;
        this.settings = settings;
    }

    public SsmNodeAgent nodeAgent(ClusterConfig config) {
        return new SsmNodeAgent(ssm, settings.ssmDocument(), config.credentials().secretId(), SsmNodeAgent.DEFAULT_DEADLINE);
    }

    /** The writer IP of this cluster, bound and unbound on the hosts by {@code agent}. */
    public WriterIp writerIp(ClusterConfig config, SsmNodeAgent agent) {
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
}
