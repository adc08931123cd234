package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.WriterIpConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.Ec2EniWriterIp;
import io.mhaserverless.functions.aws.HostIpBinding;
import io.mhaserverless.functions.aws.SsmNodeAgent;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * MHA's masterha_check_ssh: can the failover reach every host? Per server: the node agent answers,
 * at which version, and reads the server's binlogDir (the agent's self-check); with {@code --aws},
 * first SSM's view (the instance is managed and Online, its SSM Agent new enough for the document's
 * environment-variable parameters), and the subnet check CheckConfiguration makes before a
 * failover (the new master's ENI subnet must contain the writer IP). Changes nothing anywhere.
 */
@Command(name = "check-agents",
        mixinStandardHelpOptions = true,
        description = {"Checks that the failover can reach every server's host, as MHA's masterha_check_ssh does.",
                "For each server: the node agent answers and reads the binlog directory; with --aws, SSM manages the",
                "instance and it is Online with an SSM Agent of " + CheckAgentsCommand.MIN_SSM_AGENT + " or later, and every",
                "server that may become master can take the writer IP (its ENI's subnet contains it). Reads only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every agent answers", "1:at least one check failed", "2:bad input: the config"})
public final class CheckAgentsCommand implements Callable<Integer> {

    /** The SSM document passes its parameters as environment variables (interpolationType ENV_VAR): this SSM Agent or later. */
    static final String MIN_SSM_AGENT = "3.3.2746.0";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--aws", description = "the deployed hosts: the agent through SSM Run Command, the subnets from EC2"
            + " (region and credentials from the AWS environment)")
    boolean aws;

    @Option(names = "--ssm-document", paramLabel = "NAME", defaultValue = SsmNodeAgent.DEFAULT_DOCUMENT,
            description = "--aws: the node agent's SSM document (default: ${DEFAULT-VALUE})")
    String ssmDocument;

    /** Tests point --aws at FakeAws. */
    @Option(names = "--aws-endpoint", hidden = true)
    URI awsEndpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterConfig cluster = ConfigLoader.load(config);
        PrintWriter out = spec.commandLine().getOut();
        List<String> failed = new ArrayList<>();
        if (aws) {
            AwsClients clients = awsEndpoint == null ? AwsClients.fromEnvironment() : AwsClients.builder().endpoint(awsEndpoint).build();
            SsmNodeAgent agent = new SsmNodeAgent(clients.ssm(), ssmDocument, cluster.credentials().secretId(), Duration.ofSeconds(60));
            WriterIp writerIp = cluster.writerIp().mode() == WriterIpConfig.Mode.ENI
                    ? Ec2EniWriterIp.of(cluster.writerIp(), clients.ec2(), HostIpBinding.NONE) : WriterIp.NONE;
            for (ServerConfig s : cluster.servers()) {
                check(s, out, failed, () -> ssmView(agent, s), agent, writerIp);
            }
        } else {
            // locally the writer endpoint is a forwarder on this machine: every server can take it
            // the agent works in the default state directory's work directory, as mha failover's would;
            // it is removed again unless a failover with progress to resume still needs it
            NodeAgent agent = FailoverCommand.localAgent(cluster, null);
            try {
                for (ServerConfig s : cluster.servers()) {
                    check(s, out, failed, () -> Optional.empty(), agent, WriterIp.NONE);
                }
            } finally {
                LocalRun.forgetWorkDirectoryOnceFinished(LocalRun.store(null), null, cluster.cluster());
            }
        }
        out.println();
        if (failed.isEmpty()) {
            out.println("Every node agent answers (" + cluster.servers().size() + " servers).");
            return ExitCodes.OK;
        }
        out.println("Node agents NOT OK: " + failed.size() + (failed.size() == 1 ? " server" : " servers") + " failed: "
                + String.join(", ", failed) + ".");
        return ExitCodes.FAILED;
    }

    private interface Problem {
        Optional<String> find();
    }

    private static void check(ServerConfig s, PrintWriter out, List<String> failed, Problem before, NodeAgent agent, WriterIp writerIp) {
        List<String> problems = new ArrayList<>();
        String agentLine = null;
        try {
            Optional<String> unmanaged = before.find();
            if (unmanaged.isPresent()) {
                problems.add(unmanaged.get());
            } else {
                NodeAgent.SelfCheck self = agent.selfCheck(s);
                agentLine = self.version() + self.binlogDir().map(d -> ", reads " + d + " (" + self.binlogFiles() + " binlog files)")
                        .orElse(", no binlogDir configured (learnt from the live master; its binlog cannot be salvaged before)");
            }
        } catch (NodeAgent.Unreachable | NodeAgent.Failed e) {
            problems.add(e.getMessage());
        }
        if (!s.noMaster()) {
            try {
                writerIp.cannotTake(s).ifPresent(why -> problems.add("cannot take the writer IP: " + why));
            } catch (RuntimeException e) {
                problems.add("cannot check the writer IP's subnet: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            out.println("OK     " + s.label() + ": " + agentLine);
        } else {
            failed.add(s.name());
            problems.forEach(p -> out.println("ERROR  " + s.label() + ": " + p));
        }
    }

    /** What keeps SSM from running the agent on the server's host, if anything. */
    private static Optional<String> ssmView(SsmNodeAgent agent, ServerConfig s) {
        if (s.instanceId().filter(id -> !id.isBlank()).isEmpty()) {
            return Optional.of("no instanceId: SSM cannot reach its host");
        }
        Optional<InstanceInformation> info = agent.managedInstance(s);
        if (info.isEmpty()) {
            return Optional.of("instance " + s.instanceId().get() + " is not managed by SSM (SSM Agent not running, no instance"
                    + " profile with AmazonSSMManagedInstanceCore, or no route to SSM)");
        }
        if (!"Online".equals(info.get().pingStatusAsString())) {
            return Optional.of("instance " + s.instanceId().get() + " is " + info.get().pingStatusAsString() + " in SSM, not Online");
        }
        String version = info.get().agentVersion();
        if (version == null || compareVersions(version, MIN_SSM_AGENT) < 0) {
            return Optional.of("instance " + s.instanceId().get() + " runs SSM Agent " + version + "; the node agent's document needs "
                    + MIN_SSM_AGENT + " or later");
        }
        return Optional.empty();
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parse(x[i]) : 0;
            long q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
