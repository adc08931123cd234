package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.functions.fake.CommandExecutor.CommandResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSM over AWS JSON 1.1: Run Command (SendCommand, GetCommandInvocation, CancelCommand), fleet
 * state (DescribeInstanceInformation) and Parameter Store (GetParameter, PutParameter). A command
 * sent to an Online instance runs through the {@link CommandExecutor} on a thread of its own; one
 * sent to an instance whose agent lost its connection stays Pending. Every command is kept, with
 * its parameters and what it returned, for tests to inspect.
 */
public final class FakeSsm implements AutoCloseable {

    /** GetCommandInvocation truncates StandardOutputContent to this many characters. */
    static final int MAX_OUTPUT = 24_000;
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    /** One SendCommand to one instance. */
    public static final class CommandRun {
        private final String commandId;
        private final String instanceId;
        private final String documentName;
        private final Map<String, List<String>> parameters;
        private final String comment;
        private final int timeoutSeconds;
        private final Instant requested = Instant.now();
        private final CompletableFuture<CommandResult> result;
        private final AtomicInteger polls = new AtomicInteger();
        private volatile boolean cancelled;

        CommandRun(String commandId, String instanceId, String documentName, Map<String, List<String>> parameters,
                   String comment, int timeoutSeconds, CompletableFuture<CommandResult> result) {
            this.commandId = commandId;
            this.instanceId = instanceId;
            this.documentName = documentName;
            this.parameters = parameters;
            this.comment = comment;
            this.timeoutSeconds = timeoutSeconds;
            this.result = result;
        }

        public String commandId() {
            return commandId;
        }

        public String instanceId() {
            return instanceId;
        }

        public String documentName() {
            return documentName;
        }

        public Map<String, List<String>> parameters() {
            return parameters;
        }

        public String parameter(String name) {
            List<String> v = parameters.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String comment() {
            return comment;
        }

        public int timeoutSeconds() {
            return timeoutSeconds;
        }

        public boolean cancelled() {
            return cancelled;
        }

        /** The executor's result once it finished; empty while running or never delivered. */
        public Optional<CommandResult> result() {
            return result.isDone() && !result.isCompletedExceptionally() ? Optional.ofNullable(result.join()) : Optional.empty();
        }

        public int polls() {
            return polls.get();
        }
    }

    private final Map<String, String> pingStatus = new ConcurrentHashMap<>();
    private final java.util.Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Map<String, String> agentVersions = new ConcurrentHashMap<>();
    private final Map<String, CommandRun> commands = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, ObjectNode> parameters = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ssm-command");
        t.setDaemon(true);
        return t;
    });
    private volatile java.util.function.Supplier<java.time.Duration> delivery;
    private volatile CommandExecutor executor = (id, p) -> CommandResult.exit(1, "", "FakeSsm: no command executor configured");
    private volatile int inProgressPolls;

    /** A managed instance whose SSM agent is connected. */
    public void registerInstance(String instanceId) {
        pingStatus.put(instanceId, "Online");
    }

    /** "Online", "ConnectionLost" or "Inactive", as DescribeInstanceInformation reports it. */
    public void pingStatus(String instanceId, String status) {
        pingStatus.put(instanceId, status);
    }

    /**
     * The instance stopped: SendCommand still accepts commands for it and they stay Pending (until
     * their delivery timeout, which this fake never reaches). Its ping status is left as it was:
     * DescribeInstanceInformation reports ConnectionLost only minutes later.
     */
    public void stop(String instanceId) {
        stopped.add(instanceId);
    }

    /** The SSM Agent version DescribeInstanceInformation reports for the instance (default 3.3.2746.0). */
    public void agentVersion(String instanceId, String version) {
        agentVersions.put(instanceId, version);
    }

    /**
     * A command reaches its instance's agent only {@code delay} after SendCommand (modelled SSM
     * delivery, for benchmarks); {@code null}: at once, the default.
     */
    public void deliveryDelay(java.util.function.Supplier<java.time.Duration> delay) {
        this.delivery = delay;
    }

    public void executor(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Every invocation reports InProgress for its first {@code n} polls, finished or not. */
    public void inProgressPolls(int n) {
        this.inProgressPolls = n;
    }

    public List<CommandRun> commands() {
        synchronized (commands) {
            return List.copyOf(commands.values());
        }
    }

    public void putParameter(String name, String value, String type) {
        ObjectNode p = J.objectNode();
        p.put("Name", name).put("Type", type).put("Value", value).put("Version", 1)
                .put("LastModifiedDate", Instant.now().getEpochSecond())
                .put("ARN", "arn:aws:ssm:us-east-1:123456789012:parameter" + (name.startsWith("/") ? "" : "/") + name)
                .put("DataType", "text");
        parameters.put(name, p);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name)).map(p -> p.get("Value").asText());
    }

    Reply handle(AwsRequest r) {
        JsonNode in = r.json();
        return switch (r.operation()) {
            case "SendCommand" -> sendCommand(in);
            case "GetCommandInvocation" -> getCommandInvocation(in);
            case "CancelCommand" -> cancelCommand(in);
            case "DescribeInstanceInformation" -> describeInstanceInformation(in);
            case "GetParameter" -> getParameter(in);
            case "GetParametersByPath" -> getParametersByPath(in);
            case "PutParameter" -> putParameter(in);
            default -> throw AwsFault.badRequest("UnknownOperationException", "FakeSsm does not implement " + r.operation());
        };
    }

    private Reply sendCommand(JsonNode in) {
        String document = in.path("DocumentName").asText(null);
        if (document == null) {
            throw AwsFault.badRequest("ValidationException", "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
        }
        List<String> ids = new ArrayList<>();
        in.path("InstanceIds").forEach(n -> ids.add(n.asText()));
        if (ids.isEmpty()) {
            throw AwsFault.badRequest("ValidationException", "Either InstanceIds or Targets must be given");
        }
        for (String id : ids) {
            if (!pingStatus.containsKey(id)) {
                throw AwsFault.badRequest("InvalidInstanceId", "Instances [[" + id + "]] not in a valid state for account 123456789012");
            }
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        in.path("Parameters").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            params.put(e.getKey(), List.copyOf(values));
        });
        String commandId = UUID.randomUUID().toString();
        String comment = in.path("Comment").asText("");
        int timeout = in.path("TimeoutSeconds").asInt(3600);
        for (String id : ids) {
            CompletableFuture<CommandResult> result = new CompletableFuture<>();
            if ("Online".equals(pingStatus.get(id)) && !stopped.contains(id)) {
                CommandExecutor e = executor;
                java.util.function.Supplier<java.time.Duration> delay = delivery;
                runner.submit(() -> {
                    try {
                        if (delay != null) {
                            Thread.sleep(delay.get().toMillis());
                        }
                        result.complete(e.execute(id, params));
                    } catch (Throwable t) {
                        result.complete(CommandResult.exit(1, "", "executor failed: " + t));
                    }
                });
            }
            commands.put(commandId + "/" + id, new CommandRun(commandId, id, document, Map.copyOf(params), comment, timeout, result));
        }
        ObjectNode command = J.objectNode();
        command.put("CommandId", commandId).put("DocumentName", document).put("DocumentVersion", "$DEFAULT")
                .put("Comment", comment).put("Status", "Pending").put("StatusDetails", "Pending")
                .put("RequestedDateTime", Instant.now().getEpochSecond())
                .put("ExpiresAfter", Instant.now().plusSeconds(timeout).getEpochSecond())
                .put("TimeoutSeconds", timeout).put("TargetCount", ids.size())
                .put("CompletedCount", 0).put("ErrorCount", 0).put("DeliveryTimedOutCount", 0)
                .put("MaxConcurrency", "50").put("MaxErrors", "0");
        ArrayNode instanceIds = command.putArray("InstanceIds");
        ids.forEach(instanceIds::add);
        ObjectNode p = command.putObject("Parameters");
        params.forEach((k, v) -> {
            ArrayNode a = p.putArray(k);
            v.forEach(a::add);
        });
        return Reply.json(J.objectNode().set("Command", command));
    }

    private Reply getCommandInvocation(JsonNode in) {
        String commandId = in.path("CommandId").asText();
        String instanceId = in.path("InstanceId").asText();
        CommandRun run = commands.get(commandId + "/" + instanceId);
        if (run == null) {
            throw AwsFault.badRequest("InvocationDoesNotExist", "");
        }
        int poll = run.polls.incrementAndGet();
        CommandResult shown;
        if (run.cancelled) {
            shown = new CommandResult("Cancelled", "Cancelled", -1, "", "");
        } else if ((!"Online".equals(pingStatus.get(instanceId)) || stopped.contains(instanceId)) && !run.result.isDone()) {
            shown = new CommandResult("Pending", "Pending", -1, "", "");
        } else if (!run.result.isDone() || poll <= inProgressPolls) {
            shown = CommandResult.RUNNING;
        } else {
            shown = run.result.join();
        }
        ObjectNode out = J.objectNode();
        out.put("CommandId", commandId).put("InstanceId", instanceId).put("Comment", run.comment)
                .put("DocumentName", run.documentName).put("DocumentVersion", "$DEFAULT").put("PluginName", "runNodeAgent")
                .put("ResponseCode", shown.responseCode())
                .put("ExecutionStartDateTime", run.requested.toString())
                .put("Status", shown.status()).put("StatusDetails", shown.statusDetails())
                .put("StandardOutputContent", truncate(shown.stdout())).put("StandardOutputUrl", "")
                .put("StandardErrorContent", truncate(shown.stderr())).put("StandardErrorUrl", "");
        out.putObject("CloudWatchOutputConfig").put("CloudWatchOutputEnabled", false);
        return Reply.json(out);
    }

    private Reply cancelCommand(JsonNode in) {
        String commandId = in.path("CommandId").asText();
        boolean found = false;
        for (CommandRun run : commands()) {
            if (run.commandId.equals(commandId)) {
                found = true;
                if (!run.result.isDone() || run.result.join() == CommandResult.RUNNING) {
                    run.cancelled = true;
                }
            }
        }
        if (!found) {
            throw AwsFault.badRequest("InvalidCommandId", "");
        }
        return Reply.json(J.objectNode());
    }

    private Reply describeInstanceInformation(JsonNode in) {
        List<String> wanted = new ArrayList<>();
        in.path("Filters").forEach(f -> {
            if (!"InstanceIds".equals(f.path("Key").asText())) {
                throw AwsFault.badRequest("InvalidFilterKey", "FakeSsm filters by InstanceIds only, not " + f.path("Key").asText());
            }
            f.path("Values").forEach(v -> wanted.add(v.asText()));
        });
        in.path("InstanceInformationFilterList").forEach(f -> {
            if (!"InstanceIds".equals(f.path("key").asText())) {
                throw AwsFault.badRequest("InvalidInstanceInformationFilterValue", "FakeSsm filters by InstanceIds only");
            }
            f.path("valueSet").forEach(v -> wanted.add(v.asText()));
        });
        ArrayNode list = J.arrayNode();
        pingStatus.forEach((id, status) -> {
            if (wanted.isEmpty() || wanted.contains(id)) {
                list.addObject().put("InstanceId", id).put("PingStatus", status)
                        .put("LastPingDateTime", Instant.now().getEpochSecond()).put("AgentVersion", agentVersions.getOrDefault(id, "3.3.2746.0"))
                        .put("PlatformType", "Linux").put("PlatformName", "Amazon Linux").put("ResourceType", "EC2Instance");
            }
        });
        return Reply.json(J.objectNode().set("InstanceInformationList", list));
    }

    private Reply getParameter(JsonNode in) {
        String name = in.path("Name").asText();
        ObjectNode p = parameters.get(name);
        if (p == null) {
            throw AwsFault.badRequest("ParameterNotFound", "");
        }
        ObjectNode shown = p.deepCopy();
        if ("SecureString".equals(p.path("Type").asText()) && !in.path("WithDecryption").asBoolean(false)) {
            shown.put("Value", "AQICAHhFakeCiphertext==");
        }
        return Reply.json(J.objectNode().set("Parameter", shown));
    }

    /** One level below the path (Recursive is not served), sorted, paged by MaxResults (AWS: at most 10) and NextToken. */
    private Reply getParametersByPath(JsonNode in) {
        String path = in.path("Path").asText();
        String prefix = path.endsWith("/") ? path : path + "/";
        if (in.path("Recursive").asBoolean(false)) {
            throw AwsFault.badRequest("ValidationException", "FakeSsm serves GetParametersByPath without Recursive only");
        }
        int max = Math.min(10, in.path("MaxResults").asInt(10));
        int from = in.hasNonNull("NextToken") ? Integer.parseInt(in.get("NextToken").asText()) : 0;
        java.util.List<String> names = parameters.keySet().stream()
                .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0).sorted().toList();
        com.fasterxml.jackson.databind.node.ArrayNode page = J.arrayNode();
        for (int i = from; i < Math.min(names.size(), from + max); i++) {
            page.add(parameters.get(names.get(i)).deepCopy());
        }
        ObjectNode out = J.objectNode().set("Parameters", page);
        if (from + max < names.size()) {
            out.put("NextToken", Integer.toString(from + max));
        }
        return Reply.json(out);
    }

    private Reply putParameter(JsonNode in) {
        String name = in.path("Name").asText();
        ObjectNode existing = parameters.get(name);
        if (existing != null && !in.path("Overwrite").asBoolean(false)) {
            throw AwsFault.badRequest("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        // an overwrite without Type keeps the parameter's type, as SSM does
        String type = in.path("Type").asText(existing == null ? "String" : existing.path("Type").asText("String"));
        putParameter(name, in.path("Value").asText(), type);
        int version = existing == null ? 1 : existing.path("Version").asInt() + 1;
        parameters.get(name).put("Version", version);
        return Reply.json(J.objectNode().put("Version", version).put("Tier", "Standard"));
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() <= MAX_OUTPUT ? s : s.substring(0, MAX_OUTPUT);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
