package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
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
 * ResponseCode. The arguments are the ones {@code cli/.../LocalNodeAgent} passes; files are written
 * under {@value #WORK_DIR} on the host.
 */
public final class SsmNodeAgent implements NodeAgent {

    public static final String DEFAULT_DOCUMENT = "MhaNodeAgent";
    public static final String WORK_DIR = "/var/tmp/mha";
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
    /** save-binlog: nothing after the start position (node-agent/README.md). */
    static final int EXIT_NOTHING_NEWER = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(SsmNodeAgent.class.getName());

    private final SsmClient ssm;
    private final SsmCommandRunner runner;
    private final Optional<String> credentialsSecret;
    private final Duration deadline;

    /**
     * @param credentialsSecret the cluster's credentialsSecret: apply-diff connects to MySQL with it;
     *                          empty = the agent finds MHA_USER / MHA_PASSWORD in the host's environment
     * @param deadline          how long one command may take from SendCommand to a terminal status
     */
    public SsmNodeAgent(SsmClient ssm, String documentName, Optional<String> credentialsSecret, Duration deadline) {
        this.ssm = ssm;
        this.runner = new SsmCommandRunner(ssm, documentName, deadline);
        this.credentialsSecret = credentialsSecret.filter(s -> !s.isBlank());
        this.deadline = deadline;
    }

    /** The agent's JSON answer and exit code. */
    public record Answer(int exitCode, JsonNode json) {
    }

    /** SSM's own view: the instance's SSM agent has pinged recently (PingStatus Online). */
    @Override
    public boolean reachable(ServerConfig host) {
        Optional<String> id = host.instanceId().filter(s -> !s.isBlank());
        if (id.isEmpty()) {
            return false;
        }
        List<InstanceInformation> info = AwsErrors.call("SSM", "DescribeInstanceInformation", () -> ssm.describeInstanceInformation(r -> r
                .filters(InstanceInformationStringFilter.builder().key("InstanceIds").values(id.get()).build()))
                .instanceInformationList());
        return info.stream().anyMatch(i -> id.get().equals(i.instanceId()) && "Online".equals(i.pingStatusAsString()));
    }

    @Override
    public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        String out = WORK_DIR + "/" + host.name() + "-" + from.file() + "-" + from.position() + ".binlog";
        Answer a = run(host, "save-binlog", List.of("--binlog-dir", binlogDir, "--binlog-prefix", binlogPrefix,
                "--from", from.toString(), "--out", out), false);
        if (a.exitCode() == EXIT_NOTHING_NEWER) {
            return new SavedBinlog(true, null, 0, 0, 0, from, from, false, "");
        }
        JsonNode j = a.json();
        return new SavedBinlog(false, j.path("out").asText(out), j.path("bytes").asLong(), j.path("events").asLong(),
                j.path("transactions").asLong(), from,
                new BinlogCoordinates(j.path("lastFile").asText(from.file()), j.path("lastEndPos").asLong(from.position())),
                j.path("truncatedTail").asBoolean(false), j.path("gtids").asText(""));
    }

    @Override
    public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                             Optional<String> targetHas) {
        List<String> args = new ArrayList<>(List.of("--target-host", target.host(), "--target-port", Integer.toString(target.port())));
        relayDiff.ifPresent(d -> {
            args.addAll(List.of("--relay-log-index", d.relayLogIndex(), "--from-source", d.from().toString()));
            d.until().ifPresent(u -> args.addAll(List.of("--until-source", u.toString())));
        });
        savedBinlog.ifPresent(b -> args.addAll(List.of("--binlog", b)));
        targetHas.filter(g -> !g.isBlank()).ifPresent(g -> args.addAll(List.of("--skip-gtids", g)));
        // The agent stops its own apply by then, before this side gives up and cancels the command.
        args.addAll(List.of("--timeout-seconds", Long.toString(Math.max(1, deadline.toSeconds()))));
        JsonNode j = run(host, "apply-diff", args, true).json();
        return new Applied(j.path("events").asLong(), j.path("transactions").asLong(), j.path("bytes").asLong());
    }

    /** {@code bind-ip}: puts the address on the host's interface; true when it was not there yet. */
    public boolean bindIp(ServerConfig server, String address, String networkInterface) {
        return run(server, "bind-ip", List.of("--address", address, "--interface", networkInterface), false)
                .json().path("changed").asBoolean();
    }

    /** {@code unbind-ip}: takes the address off the host's interface; true when it was there. */
    public boolean unbindIp(ServerConfig server, String address, String networkInterface) {
        return run(server, "unbind-ip", List.of("--address", address, "--interface", networkInterface), false)
                .json().path("changed").asBoolean();
    }

    /** {@code check-master} from {@code via}'s host: the probe's second network path to the master. */
    public boolean checkMaster(ServerConfig via, ServerConfig master) {
        return run(via, "check-master", List.of("--host", master.host(), "--port", Integer.toString(master.port())), false)
                .json().path("reachable").asBoolean();
    }

    /** The writer IP's host side through this agent; unbind is skipped (and logged) when the host does not answer. */
    public HostIpBinding ipBinding(String networkInterface) {
        return new HostIpBinding() {
            @Override
            public void bind(ServerConfig server, String address) {
                bindIp(server, address, networkInterface);
            }

            @Override
            public void unbind(ServerConfig server, String address) {
                try {
                    if (reachable(server)) {
                        unbindIp(server, address, networkInterface);
                        return;
                    }
                    LOG.log(Level.INFO, "unbind-ip " + address + " skipped: " + server.label() + " is not online in SSM");
                } catch (Unreachable | Failed e) {
                    LOG.log(Level.WARNING, "unbind-ip " + address + " on " + server.label() + " failed: " + e.getMessage());
                }
            }
        };
    }

    /** Runs one agent subcommand; exit 0 (and 10 for save-binlog) is an answer, anything else {@link Failed}. */
    Answer run(ServerConfig host, String subcommand, List<String> arguments, boolean withCredentials) {
        String instanceId = host.instanceId().filter(s -> !s.isBlank()).orElseThrow(() -> new Unreachable(
                host.label() + " has no instanceId: SSM cannot reach its host"));
        String target = host.label() + " [" + instanceId + "]";
        Map<String, List<String>> parameters = Map.of(
                "subcommand", List.of(subcommand),
                "arguments", List.of(json(arguments)),
                "credentialsSecret", List.of(withCredentials ? credentialsSecret.orElse("") : ""));
        SsmCommandRunner.Invocation inv = runner.run(instanceId, target, "mha " + subcommand + " on " + host.name(), parameters);
        JsonNode json = agentJson(inv.stdout());
        if (inv.succeeded() || (inv.responseCode() == EXIT_NOTHING_NEWER && subcommand.equals("save-binlog"))) {
            if (json == null) {
                throw new Failed("node agent " + subcommand + " on " + target + " printed no JSON (command " + inv.commandId() + ")");
            }
            return new Answer(inv.succeeded() ? 0 : inv.responseCode(), json);
        }
        String error = json == null ? "" : json.path("error").asText("");
        if (error.isEmpty()) {
            error = lastLine(inv.stderr());
        }
        throw new Failed("node agent " + subcommand + " on " + target + " " + describe(inv) + " (SSM command " + inv.commandId() + ")"
                + (error.isEmpty() ? "" : ": " + error));
    }

    private static String describe(SsmCommandRunner.Invocation inv) {
        if ("Failed".equals(inv.status()) && inv.responseCode() >= 0) {
            return "exited " + inv.responseCode();
        }
        return inv.status() + (inv.statusDetails() == null ? "" : " / " + inv.statusDetails())
                + (inv.responseCode() >= 0 ? " (exit " + inv.responseCode() + ")" : "");
    }

    /**
     * The agent prints exactly one JSON object; the document may add lines of its own (fetching the
     * secret, say), so the last line that is a JSON object is the agent's.
     */
    static JsonNode agentJson(String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node != null && node.isObject()) {
                        return node;
                    }
                } catch (JsonProcessingException notJson) {
                    // keep looking upwards
                }
            }
        }
        try {
            JsonNode whole = JSON.readTree(stdout.strip());
            return whole != null && whole.isObject() ? whole : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private static String json(List<String> arguments) {
        try {
            return JSON.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode agent arguments", e);
        }
    }
}
