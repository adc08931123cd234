package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Step Functions' API (AWS JSON 1.0: CreateStateMachine, StartExecution, DescribeExecution,
 * ListExecutions, RedriveExecution) in
 * front of an {@link Interpreter} that really executes the definition (the end-to-end suite plugs
 * in the local runtime's AslInterpreter). Executions run asynchronously, as on AWS: StartExecution answers at
 * once and DescribeExecution shows RUNNING until the interpreter is done.
 */
public final class FakeStepFunctions implements AutoCloseable {

    static final String JSON_10 = "application/x-amz-json-1.0";
    private static final String ACCOUNT = "000000000000";

    /** Executes one definition with one input; what Step Functions itself does. */
    @FunctionalInterface
    public interface Interpreter {
        Result execute(String executionArn, String definition, JsonNode input);
    }

    /** How an execution ended: SUCCEEDED, FAILED or TIMED_OUT, with its output or error and cause. */
    public record Result(String status, JsonNode output, String error, String cause) {
    }

    private record Machine(String arn, String name, String definition) {
    }

    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final Map<String, ExecutionState> executions = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-sfn-execution");
        t.setDaemon(true);
        return t;
    });
    private volatile Interpreter interpreter = (arn, definition, input) -> {
        throw new AwsFault("InternalFailure", "FakeStepFunctions has no interpreter", 500);
    };

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private static final class ExecutionState {
        final String arn;
        final String machineArn;
        final String name;
        final JsonNode input;
        final Instant startDate = Instant.now();
        final long sequence = SEQUENCE.incrementAndGet();
        volatile Result result;
        volatile int redriveCount;
        volatile Instant stopDate;

        ExecutionState(String arn, String machineArn, String name, JsonNode input) {
            this.arn = arn;
            this.machineArn = machineArn;
            this.name = name;
            this.input = input;
        }
    }

    public void interpreter(Interpreter value) {
        this.interpreter = value;
    }

    /** The executions started so far, with their results once ended. */
    public List<Result> results() {
        return executions.values().stream().map(e -> e.result).toList();
    }

    Reply handle(AwsRequest request) {
        JsonNode in = request.json();
        return switch (request.operation()) {
            case "CreateStateMachine" -> createStateMachine(in);
            case "StartExecution" -> startExecution(in);
            case "DescribeExecution" -> describeExecution(in);
            case "ListExecutions" -> listExecutions(in);
            case "RedriveExecution" -> redriveExecution(in);
            default -> throw AwsFault.badRequest("UnknownOperationException", "FakeStepFunctions does not serve " + request.operation());
        };
    }

    private Reply createStateMachine(JsonNode in) {
        String name = required(in, "name");
        String definition = required(in, "definition");
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(definition);
        } catch (java.io.IOException e) {
            throw AwsFault.badRequest("InvalidDefinition", "the definition is not JSON: " + e.getMessage());
        }
        String arn = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:" + name;
        machines.put(arn, new Machine(arn, name, definition));
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("stateMachineArn", arn)
                .put("creationDate", Instant.now().toEpochMilli() / 1000.0);
        return new Reply(200, JSON_10, out.toString());
    }

    private Reply startExecution(JsonNode in) {
        Machine machine = machines.get(required(in, "stateMachineArn"));
        if (machine == null) {
            throw AwsFault.badRequest("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + in.path("stateMachineArn").asText() + "'");
        }
        String name = in.hasNonNull("name") ? in.get("name").asText() : UUID.randomUUID().toString();
        String arn = "arn:aws:states:us-east-1:" + ACCOUNT + ":execution:" + machine.name() + ":" + name;
        JsonNode input;
        try {
            input = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in.path("input").asText("{}"));
        } catch (java.io.IOException e) {
            throw AwsFault.badRequest("InvalidExecutionInput", "Invalid State Machine Execution Input: " + e.getMessage());
        }
        ExecutionState e = new ExecutionState(arn, machine.arn(), name, input);
        if (executions.putIfAbsent(arn, e) != null) {
            throw AwsFault.badRequest("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        Interpreter current = interpreter;
        runner.submit(() -> {
            Result r;
            try {
                r = current.execute(arn, machine.definition(), input);
            } catch (RuntimeException ex) {
                r = new Result("FAILED", null, "States.Runtime", ex.toString());
            }
            e.stopDate = Instant.now();
            e.result = r;
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("executionArn", arn)
                .put("startDate", e.startDate.toEpochMilli() / 1000.0);
        return new Reply(200, JSON_10, out.toString());
    }

    /** Newest first, as Step Functions lists them; one page (maxResults, default 100). */
    private Reply listExecutions(JsonNode in) {
        String machine = required(in, "stateMachineArn");
        String status = in.path("statusFilter").asText(null);
        int max = in.path("maxResults").asInt(100);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var list = out.putArray("executions");
        executions.values().stream().filter(e -> e.machineArn.equals(machine))
                .filter(e -> status == null || status.equals(status(e)))
                .sorted(java.util.Comparator.comparingLong((ExecutionState e) -> e.sequence).reversed())
                .limit(max == 0 ? 100 : max)
                .forEach(e -> {
                    ObjectNode item = list.addObject().put("executionArn", e.arn).put("stateMachineArn", e.machineArn)
                            .put("name", e.name).put("status", status(e)).put("startDate", e.startDate.toEpochMilli() / 1000.0);
                    if (e.stopDate != null) {
                        item.put("stopDate", e.stopDate.toEpochMilli() / 1000.0);
                    }
                });
        return new Reply(200, JSON_10, out.toString());
    }

    /**
     * Runs a FAILED, TIMED_OUT or ABORTED execution again under the same ARN. Step Functions goes on
     * from the failed state; this fake hands the interpreter the same input again, which is all its
     * users need (the redrive of the real definition is the local runtime's resume, tested there).
     */
    private Reply redriveExecution(JsonNode in) {
        ExecutionState e = executions.get(required(in, "executionArn"));
        if (e == null) {
            throw AwsFault.badRequest("ExecutionDoesNotExist", "Execution Does Not Exist: '" + in.path("executionArn").asText() + "'");
        }
        String status = status(e);
        if (!List.of("FAILED", "TIMED_OUT", "ABORTED").contains(status)) {
            throw AwsFault.badRequest("ExecutionNotRedrivable", "Execution is " + status + ": only FAILED, TIMED_OUT or ABORTED"
                    + " executions can be redriven: '" + e.arn + "'");
        }
        Machine machine = machines.get(e.machineArn);
        e.redriveCount++;
        e.result = null;
        e.stopDate = null;
        Interpreter current = interpreter;
        runner.submit(() -> {
            Result r;
            try {
                r = current.execute(e.arn, machine.definition(), e.input);
            } catch (RuntimeException ex) {
                r = new Result("FAILED", null, "States.Runtime", ex.toString());
            }
            e.stopDate = Instant.now();
            e.result = r;
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("redriveDate", Instant.now().toEpochMilli() / 1000.0);
        return new Reply(200, JSON_10, out.toString());
    }

    private static String status(ExecutionState e) {
        Result r = e.result;
        return r == null ? "RUNNING" : r.status();
    }

    private Reply describeExecution(JsonNode in) {
        ExecutionState e = executions.get(required(in, "executionArn"));
        if (e == null) {
            throw AwsFault.badRequest("ExecutionDoesNotExist", "Execution Does Not Exist: '" + in.path("executionArn").asText() + "'");
        }
        Result r = e.result;
        ObjectNode out = JsonNodeFactory.instance.objectNode()
                .put("executionArn", e.arn).put("stateMachineArn", e.machineArn).put("name", e.name)
                .put("status", r == null ? "RUNNING" : r.status())
                .put("startDate", e.startDate.toEpochMilli() / 1000.0)
                .put("input", e.input.toString())
                .put("redriveCount", e.redriveCount);
        if (r != null) {
            out.put("stopDate", e.stopDate.toEpochMilli() / 1000.0);
            if (r.output() != null) {
                out.put("output", r.output().toString());
            }
            if (r.error() != null) {
                out.put("error", r.error());
            }
            if (r.cause() != null) {
                out.put("cause", r.cause());
            }
        }
        return new Reply(200, JSON_10, out.toString());
    }

    private static String required(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.asText().isEmpty()) {
            throw AwsFault.badRequest("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v.asText();
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
