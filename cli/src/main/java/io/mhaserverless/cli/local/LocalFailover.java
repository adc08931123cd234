package io.mhaserverless.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A failover as Step Functions runs it, on this machine: statemachine/asl.json executed by
 * {@link LocalStateMachine}, each Task answered in-process by {@link FailoverWorkflow} over the
 * given runtime's ports, the SNS fallback by its notifier. What {@code mha failover} and
 * {@code mha demo} run.
 */
public final class LocalFailover {

    /** The function name the local substitution gives {@code ${PhaseFunctionArn}}. */
    public static final String FUNCTION_ARN = "arn:aws:lambda:local:000000000000:function:mha-phase";
    public static final String TOPIC_ARN = "arn:aws:sns:local:000000000000:mha-reports";
    public static final Map<String, String> SUBSTITUTIONS = Map.of("PhaseFunctionArn", FUNCTION_ARN, "ReportTopicArn", TOPIC_ARN);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the execution ended. {@code result} is the last task's output ({@code WorkflowResult}'s
     * JSON) when the workflow reached a report, null when it ended before one (bad input, lock held).
     */
    public record Result(LocalStateMachine.Execution execution, FailoverOutcome outcome, String error, String cause) {
        /** MHA's exit codes, plus 2 for an input the first state rejected. */
        public int exitCode() {
            if ("InputRejected".equals(error)) {
                return 2;
            }
            return outcome.exitCode();
        }
    }

    private final LocalStateMachine machine;

    public LocalFailover(LocalStateMachine machine) {
        this.machine = machine;
    }

    /** The statemachine/ directory of this checkout, with the local substitutions. */
    public static LocalFailover fromCheckout() {
        return new LocalFailover(new LocalStateMachine(LocalStateMachine.locate(), SUBSTITUTIONS, Duration.ofMinutes(45)));
    }

    public java.nio.file.Path definition() {
        return machine.definition();
    }

    public Result run(JsonNode input, WorkflowRuntime runtime, Progress progress) {
        FailoverWorkflow workflow = new FailoverWorkflow(runtime);
        StepFunctionsIntegrations tasks = new StepFunctionsIntegrations(Map.of(FUNCTION_ARN, workflow::handle),
                (topic, subject, message) -> {
                    runtime.notifier().publish(subject, message, message);
                    return null;
                });
        String arn = "arn:aws:states:local:000000000000:execution:mha-failover:" + UUID.randomUUID();
        Consumer<LocalStateMachine.Event> console = e -> {
            // a Fail state's own failure repeats its error's name: the report says it better
            boolean failState = e.state() != null && e.state().equals(e.error());
            if (("StateFailed".equals(e.type()) && !failState) || "StateRetried".equals(e.type())) {
                progress.info(e.state(), e.type().equals("StateRetried") ? "retrying" : "FAILED: " + e.error());
            }
        };
        LocalStateMachine.Execution execution = machine.run(arn, input, tasks, console);
        return new Result(execution, outcome(execution), execution.error(), execution.cause());
    }

    private static FailoverOutcome outcome(LocalStateMachine.Execution execution) {
        if (!execution.succeeded()) {
            return FailoverOutcome.FAILED;
        }
        JsonNode output = execution.output();
        return "partial".equals(output == null ? null : output.path("outcome").asText()) ? FailoverOutcome.PARTIAL
                : FailoverOutcome.SUCCEEDED;
    }

    /** A task error's cause as a sentence: the Lambda runtime's JSON carries it in errorMessage. */
    public static String message(String cause) {
        if (cause == null) {
            return "";
        }
        try {
            JsonNode j = JSON.readTree(cause);
            return j != null && j.hasNonNull("errorMessage") ? j.get("errorMessage").asText() : cause;
        } catch (java.io.IOException notJson) {
            return cause;
        }
    }

    /** The execution input an operator would type, from the CLI's options. */
    public static com.fasterxml.jackson.databind.node.ObjectNode input(String cluster, String deadMaster, String newMaster, boolean force, boolean ignoreLastFailover) {
        var input = JSON.createObjectNode().put("cluster", cluster).put("mode", "failover");
        if (deadMaster != null) {
            input.put("deadMaster", deadMaster);
        }
        input.put("newMaster", newMaster);
        input.put("force", force);
        if (ignoreLastFailover) {
            input.put("ignoreLastFailover", true);
        }
        return input;
    }
}
