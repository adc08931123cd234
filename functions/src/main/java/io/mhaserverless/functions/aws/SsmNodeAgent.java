package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.AgentAnswers;
import io.mhaserverless.core.workflow.Deadline;
import io.mhaserverless.node.protocol.AgentCall;
import io.mhaserverless.node.protocol.CheckMasterAnswer;
import io.mhaserverless.node.protocol.IpAnswer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;

/**
 * {@link NodeAgent} through SSM Run Command: the agent CLI (node-agent/README.md) runs on the
 * server's instance by a Command document, {@value #DEFAULT_DOCUMENT} unless configured, which takes
 * three string-list parameters:
 *
 * <pre>
 * subcommand         ["save-binlog"]                      the agent's subcommand
 * arguments          ["[\"--binlog-dir\",\"/var/lib/mysql\",…]"]  ONE string: the JSON array of the CLI arguments
 * credentialsSecret  ["arn:aws:secretsmanager:…"] or [""]  the document fetches this secret on the host into a
 *                                                         0600 file for --credentials-file; "" = none
 * </pre>
 *
 * The arguments travel as one JSON string so that no value is ever word-split or interpreted by a
 * shell on the host; the document decodes it into argv. No password ever appears in a parameter
 * (SSM keeps parameters in the command history): only the secret's id does. The document prints
 * the agent's stdout (one JSON object) and exits with its exit code, which SSM reports as
 * ResponseCode. The calls and answers are node-protocol's ({@link AgentCall}), the ones
 * {@code cli/.../LocalNodeAgent} uses too; files are written under {@value #WORK_DIR} on the host.
 */
public final class SsmNodeAgent implements NodeAgent {

    public static final String DEFAULT_DOCUMENT = "MhaNodeAgent";
    public static final String WORK_DIR = "/var/tmp/mha";
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(SsmNodeAgent.class.getName());

    /** unbind-ip on the old master is best effort: the failover does not wait for a dead host longer than this. */
    public static final Duration UNBIND_DEADLINE = Duration.ofSeconds(15);
    /** The agent's own limit stops an apply this long before the caller gives up and cancels the command. */
    static final Duration AGENT_MARGIN = Duration.ofSeconds(10);

    private final SsmClient ssm;
    private final String documentName;
    private final SsmCommandRunner runner;
    private final Optional<String> credentialsSecret;
    private final Duration perCommand;
    private final Deadline stepDeadline;
    private final Optional<Duration> pendingLimit;
    /** How long before the pending limit a save-and-apply must have started on the dead master's host. */
    static final Duration START_BY_MARGIN = Duration.ofSeconds(2);

    /**
     * @param credentialsSecret the cluster's credentialsSecret: apply-diff connects to MySQL with it;
     *                          empty = the agent finds MHA_USER / MHA_PASSWORD in the host's environment
     * @param deadline          how long one command may take from SendCommand to a terminal status
     */
    public SsmNodeAgent(SsmClient ssm, String documentName, Optional<String> credentialsSecret, Duration deadline) {
        this(ssm, documentName, credentialsSecret, deadline, Deadline.NONE, Optional.empty());
    }

    private SsmNodeAgent(SsmClient ssm, String documentName, Optional<String> credentialsSecret, Duration perCommand,
                         Deadline stepDeadline, Optional<Duration> pendingLimit) {
        this.ssm = ssm;
        this.documentName = documentName;
        this.runner = new SsmCommandRunner(ssm, documentName, perCommand);
        this.credentialsSecret = credentialsSecret.filter(s -> !s.isBlank());
        this.perCommand = perCommand;
        this.stepDeadline = stepDeadline;
        this.pendingLimit = pendingLimit;
    }

    /** This agent with every command bounded by {@code deadline} too (the step's: Lambda's time left, the Task's timeout). */
    public SsmNodeAgent within(Deadline deadline) {
        return new SsmNodeAgent(ssm, documentName, credentialsSecret, perCommand, stepDeadline.min(deadline), pendingLimit);
    }

    @Override
    public SsmNodeAgent onDeadHost() {
        return new SsmNodeAgent(ssm, documentName, credentialsSecret, perCommand, stepDeadline, Optional.of(DEAD_HOST_PENDING));
    }

    /** How long the next command may take: the step's deadline, at most the per-command limit. */
    Duration budget() {
        return stepDeadline.left(perCommand);
    }

    /** SSM's own view: the instance's SSM agent has pinged recently (PingStatus Online). */
    @Override
    public boolean reachable(ServerConfig host) {
        return managedInstance(host).map(i -> "Online".equals(i.pingStatusAsString())).orElse(false);
    }

    /** What SSM knows of the server's instance (ping status, SSM Agent version), empty when it does not manage it. */
    public Optional<InstanceInformation> managedInstance(ServerConfig host) {
        Optional<String> id = host.instanceId().filter(s -> !s.isBlank());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        List<InstanceInformation> info = AwsErrors.call("SSM", "DescribeInstanceInformation", () -> ssm.describeInstanceInformation(r -> r
                .filters(InstanceInformationStringFilter.builder().key("InstanceIds").values(id.get()).build()))
                .instanceInformationList());
        return info.stream().filter(i -> id.get().equals(i.instanceId())).findFirst();
    }

    @Override
    public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        String out = WORK_DIR + "/" + host.name() + "-" + from.file() + "-" + from.position() + ".binlog";
        AgentCall call = AgentCall.saveBinlog(binlogDir, binlogPrefix, from.toString(), out);
        return AgentAnswers.savedBinlog(run(host, call), call, from);
    }

    /** save-binlog --apply-to: one SSM command instead of save-binlog then apply-diff. */
    @Override
    public SavedAndApplied saveAndApply(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from,
                                        ServerConfig target, Optional<String> targetHas) {
        String out = WORK_DIR + "/" + host.name() + "-" + from.file() + "-" + from.position() + ".binlog";
        Duration budget = budget();
        AgentCall call = AgentAnswers.saveAndApplyCall(binlogDir, binlogPrefix, from, out, target, targetHas, agentLimit(budget));
        if (pendingLimit.isPresent()) {
            // a command still undelivered at pendingLimit is cancelled and counted as nothing applied; one SSM
            // delivers anyway must not apply then: it must have started a margin before that (clock skew, status lag)
            call = call.startingBy(System.currentTimeMillis() + pendingLimit.get().minus(START_BY_MARGIN).toMillis());
        }
        return AgentAnswers.savedAndApplied(run(host, call, budget), call, from);
    }

    /** The agent stops its own apply before this side gives up and cancels the command. */
    private static Duration agentLimit(Duration budget) {
        return budget.compareTo(AGENT_MARGIN.multipliedBy(2)) > 0 ? budget.minus(AGENT_MARGIN) : budget.dividedBy(2);
    }

    @Override
    public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                             Optional<String> targetHas) {
        Duration budget = budget();
        return AgentAnswers.applied(run(host, AgentAnswers.applyDiffCall(relayDiff, savedBinlog, target, targetHas, agentLimit(budget)),
                budget));
    }

    @Override
    public void checkBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        run(host, AgentCall.checkBinlog(binlogDir, binlogPrefix, from.toString()));
    }

    @Override
    public boolean relayLogsHold(ServerConfig host, String relayLogIndex, BinlogCoordinates position) {
        try {
            run(host, AgentAnswers.findRelayPositionCall(relayLogIndex, position));
            return true;
        } catch (NotInRelayLogs purged) {
            return false;
        }
    }

    /** {@code bind-ip --confirm-metadata}: puts the address on the host's interface; true when it was not there yet. */
    public boolean bindIp(ServerConfig server, String address, String networkInterface) {
        // confirmed in the instance metadata: the host's side is done only when EC2 routes the address to this ENI
        return run(server, AgentCall.bindIpConfirmed(address, networkInterface)).as(IpAnswer.class).changed();
    }

    /** {@code unbind-ip}: takes the address off the host's interface; true when it was there. */
    public boolean unbindIp(ServerConfig server, String address, String networkInterface) {
        return run(server, AgentCall.unbindIp(address, networkInterface)).as(IpAnswer.class).changed();
    }

    @Override
    public SelfCheck selfCheck(ServerConfig host) {
        return AgentAnswers.selfCheck(run(host, AgentCall.selfCheck(host.binlogDir())));
    }

    /** {@code check-master} from {@code via}'s host: the probe's second network path to the master. */
    @Override
    public boolean masterReachableFrom(ServerConfig via, ServerConfig master) {
        return run(via, AgentCall.checkMaster(master.host(), master.port())).as(CheckMasterAnswer.class).reachable();
    }

    /** The writer IP's host side through this agent; unbind is skipped (and logged) when the host does not answer. */
    public HostIpBinding ipBinding(String networkInterface) {
        return new HostIpBinding() {
            @Override
            public void bind(ServerConfig server, String address) {
                bindIp(server, address, networkInterface);
            }

            /** Best effort within {@link #UNBIND_DEADLINE}: a dead host's command that stays Pending is given up on. */
            @Override
            public void unbind(ServerConfig server, String address) {
                try {
                    if (reachable(server)) {
                        within(Deadline.in(UNBIND_DEADLINE)).onDeadHost().unbindIp(server, address, networkInterface);
                        return;
                    }
                    LOG.log(Level.INFO, "unbind-ip " + address + " skipped: " + server.label() + " is not online in SSM");
                } catch (Unreachable | Failed e) {
                    LOG.log(Level.WARNING, "unbind-ip " + address + " on " + server.label() + " failed: " + e.getMessage());
                }
            }
        };
    }

    /** Runs one agent call; an answer (node-protocol's ExitCodes.isAnswer) or {@link Failed}. */
    AgentAnswers.Reply run(ServerConfig host, AgentCall call) {
        return run(host, call, budget());
    }

    private AgentAnswers.Reply run(ServerConfig host, AgentCall call, Duration budget) {
        String instanceId = host.instanceId().filter(s -> !s.isBlank()).orElseThrow(() -> new Unreachable(
                host.label() + " has no instanceId: SSM cannot reach its host"));
        String target = host.label() + " [" + instanceId + "]";
        Map<String, List<String>> parameters = Map.of(
                "subcommand", List.of(call.subcommand()),
                "arguments", List.of(json(call.arguments())),
                "credentialsSecret", List.of(call.withCredentials() ? credentialsSecret.orElse("") : ""));
        if (budget.isZero()) {
            throw new Failed("node agent " + call.subcommand() + " on " + target + ": the step's deadline has passed; not sent");
        }
        SsmCommandRunner.Invocation inv = runner.run(instanceId, target, "mha " + call.subcommand() + " on " + host.name(), parameters,
                budget, pendingLimit);
        return AgentAnswers.reply(call.subcommand(), inv.succeeded() ? 0 : inv.responseCode(), inv.stdout(), inv.stderr(),
                "node agent " + call.subcommand() + " on " + target, describe(inv) + " (SSM command " + inv.commandId() + ")");
    }

    private static String describe(SsmCommandRunner.Invocation inv) {
        if ("Failed".equals(inv.status()) && inv.responseCode() >= 0) {
            return "exited " + inv.responseCode();
        }
        return inv.status() + (inv.statusDetails() == null ? "" : " / " + inv.statusDetails())
                + (inv.responseCode() >= 0 ? " (exit " + inv.responseCode() + ")" : "");
    }

    private static String json(List<String> arguments) {
        try {
            return JSON.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode agent arguments", e);
        }
    }
}
