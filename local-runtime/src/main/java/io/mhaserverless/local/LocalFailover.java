package io.mhaserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.Names;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import io.mhaserverless.local.statemachine.AslInterpreter;
import io.mhaserverless.local.statemachine.Event;
import io.mhaserverless.local.statemachine.Execution;
import io.mhaserverless.local.statemachine.StateMachineDefinition;
import io.mhaserverless.local.statemachine.StepFunctionsIntegrations;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one failover path, on this machine: statemachine/asl.json (bundled in this jar) executed by
 * the {@link AslInterpreter}, each Task answered in-process by {@link FailoverWorkflow} over the
 * given runtime's ports — the same steps between the same states as the Lambda under Step
 * Functions. {@code mha failover}, the demo, the benchmarks and the failover tests all run it.
 */
public final class LocalFailover {

    /** The function name the local substitution gives {@code ${PhaseFunctionArn}}. */
    public static final String FUNCTION_ARN = "arn:aws:lambda:local:000000000000:function:mha-phase";
    public static final String TOPIC_ARN = "arn:aws:sns:local:000000000000:mha-reports";
    public static final Map<String, String> SUBSTITUTIONS = Map.of("PhaseFunctionArn", FUNCTION_ARN, "ReportTopicArn", TOPIC_ARN);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the execution ended. The execution's output is the last task's {@code WorkflowResult}
     * when the workflow reached a report; a failed or refused execution carries it as its cause.
     */
    public record Result(Execution execution, FailoverOutcome outcome, String error, String cause) {
        /** MHA's exit codes, plus 2 for an input the first state rejected. */
        public int exitCode() {
            if ("InputRejected".equals(error)) {
                return 2;
            }
            return outcome.exitCode();
        }

        /** The promoted server, once the workflow reported one. */
        public String newMaster() {
            JsonNode output = execution.output();
            return output == null ? null : output.path("newMaster").asText(null);
        }
    }

    private final StateMachineDefinition definition;
    private final AslInterpreter interpreter;

    public LocalFailover(StateMachineDefinition definition) {
        this(definition, new AslInterpreter(definition));
    }

    /** @param interpreter one whose retries wait as a test wants */
    LocalFailover(StateMachineDefinition definition, AslInterpreter interpreter) {
        this.definition = definition;
        this.interpreter = interpreter;
    }

    /** The asl.json this runtime was built with, under the local substitutions. */
    public static LocalFailover bundled() {
        return new LocalFailover(StateMachineDefinition.bundled(SUBSTITUTIONS));
    }

    /**
     * Fails the cluster over or switches its master, as the input's mode says, or finishes its
     * unfinished execution of the same mode (killed controller, or failed failover): a half-done one
     * is finished from where it stood, never started over.
     */
    public Result run(JsonNode input, WorkflowRuntime runtime, Progress progress) {
        return run(input, runtime, progress, LocalExecutionId.ofThisProcess().arn());
    }

    /** @param newExecutionArn the id of the execution if a new one starts (tests give a controller another pid) */
    Result run(JsonNode input, WorkflowRuntime runtime, Progress progress, String newExecutionArn) {
        String cluster = input.path("cluster").asText("");
        Optional<Resumption.Plan> resume = Names.valid(cluster)
                ? Resumption.plan(runtime.stateStore(), definition, cluster, runtime.lockTtl(), input) : Optional.empty();
        if (resume.isPresent()) {
            Resumption.Plan plan = resume.get();
            progress.info("Resume", "finishing the unfinished failover of " + cluster + " at " + plan.startAt() + ": " + plan.why());
            try {
                Resumption.checkWorld(plan.document(), runtime.context(cluster).config());
            } catch (Resumption.WorldChanged refused) {
                runtime.stateStore().unlock(cluster, plan.executionArn());
                progress.info("Resume", "REFUSED: " + refused.getMessage());
                Execution e = new Execution(plan.executionArn(), Execution.FAILED, null, "ResumeRefused", refused.getMessage(),
                        java.util.List.of());
                return new Result(e, FailoverOutcome.REFUSED, e.error(), e.cause());
            }
            return execute(plan.executionArn(), plan.startAt(), plan.document(), runtime, progress);
        }
        return execute(newExecutionArn, null, input, runtime, progress);
    }

    private Result execute(String arn, String startAt, JsonNode input, WorkflowRuntime runtime, Progress progress) {
        FailoverWorkflow workflow = new FailoverWorkflow(runtime);
        StepFunctionsIntegrations tasks = new StepFunctionsIntegrations(Map.of(FUNCTION_ARN, workflow::handle),
                (topic, subject, message) -> {
                    runtime.notifier().publish(subject, message, message);
                    return null;
                });
        Consumer<Event> console = e -> {
            // a Fail state's own failure repeats its error's name: the report says it better
            boolean failState = e.state() != null && e.state().equals(e.error());
            if (("StateFailed".equals(e.type()) && !failState) || "StateRetried".equals(e.type())) {
                progress.info(e.state(), e.type().equals("StateRetried") ? "retrying" : "FAILED: " + e.error());
            }
        };
        Execution execution = startAt == null ? interpreter.run(arn, input, tasks, console)
                : interpreter.run(arn, startAt, input, tasks, console);
        return new Result(execution, outcome(execution), execution.error(), execution.cause());
    }

    private static FailoverOutcome outcome(Execution execution) {
        if (!execution.succeeded()) {
            return "FailoverRefused".equals(execution.error()) ? FailoverOutcome.REFUSED : FailoverOutcome.FAILED;
        }
        JsonNode output = execution.output();
        return FailoverOutcome.ofLabel(output == null ? null : output.path("outcome").asText());
    }

    /** A task error's cause as a sentence: the Lambda runtime's JSON carries it in errorMessage. */
    public static String message(String cause) {
        if (cause == null) {
            return "";
        }
        try {
            JsonNode j = JSON.readTree(cause);
            return j != null && j.hasNonNull("errorMessage") ? j.get("errorMessage").asText() : cause;
        } catch (IOException notJson) {
            return cause;
        }
    }

    /** The execution input of a planned switchover, from the CLI's options ({@code newMaster} may be null). */
    public static ObjectNode switchoverInput(String cluster, String newMaster, boolean origMasterIsNewSlave, long runningUpdatesLimit,
                                             boolean force) {
        ObjectNode input = JSON.createObjectNode().put("cluster", cluster).put("mode", "switchover");
        input.put("newMaster", newMaster);
        input.put("origMasterIsNewSlave", origMasterIsNewSlave);
        input.put("runningUpdatesLimit", runningUpdatesLimit);
        input.put("force", force);
        return input;
    }

    /** The execution input of a rejoin: {@code server}, the old master coming back, becomes a replica of the current master. */
    public static ObjectNode rejoinInput(String cluster, String server, boolean ignoreLastFailover) {
        ObjectNode input = JSON.createObjectNode().put("cluster", cluster).put("mode", "rejoin").put("server", server);
        if (ignoreLastFailover) {
            input.put("ignoreLastFailover", true);
        }
        return input;
    }

    /** The execution input an operator would type, from the CLI's options. */
    public static ObjectNode input(String cluster, String deadMaster, String newMaster, boolean force, boolean ignoreLastFailover) {
        ObjectNode input = JSON.createObjectNode().put("cluster", cluster).put("mode", "failover");
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
