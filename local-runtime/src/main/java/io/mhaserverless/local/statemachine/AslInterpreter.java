package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a {@link StateMachineDefinition} in this JVM the way Step Functions runs it: InputPath,
 * Parameters, ResultSelector, ResultPath and OutputPath; Retry with its backoff and jitter; Catch;
 * Choice; Map with its iterations in parallel; Fail; the TimeoutSeconds of a Task and of the
 * execution. This is how {@code mha failover}, the demo, the benchmarks and the tests execute
 * statemachine/asl.json, with no Node and no checkout; {@code AslParityTest} runs the same inputs
 * through aws-local-stepfunctions and asserts the same states in the same order and the same end.
 *
 * <p>Error semantics follow the Step Functions documentation: {@code States.ALL} matches every
 * error but {@code States.Runtime}; {@code States.TaskFailed} every Task error but
 * {@code States.Timeout}; only the first Retry entry that matches an error counts; a Map fails with
 * its first failed iteration, after the others have finished (no phase is cut off half-way).
 */
public final class AslInterpreter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** How a retry waits; tests may replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final StateMachineDefinition definition;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HopDelays hops;

    public AslInterpreter(StateMachineDefinition definition) {
        this(definition, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    public AslInterpreter(StateMachineDefinition definition, Clock clock, Sleeper sleeper) {
        this(definition, clock, sleeper, HopDelays.NONE);
    }

    private AslInterpreter(StateMachineDefinition definition, Clock clock, Sleeper sleeper, HopDelays hops) {
        this.definition = definition;
        this.clock = clock;
        this.sleeper = sleeper;
        this.hops = hops;
    }

    /** This interpreter, waiting {@code hops} between its steps as the modelled service would. */
    public AslInterpreter withHops(HopDelays hops) {
        return new AslInterpreter(definition, clock, sleeper, hops);
    }

    /** Runs one execution to its end; {@code listener} sees the history as it happens. */
    public Execution run(String executionArn, JsonNode input, TaskHandler tasks, Consumer<Event> listener) {
        return run(executionArn, definition.root().get("StartAt").asText(), input, tasks, listener);
    }

    /**
     * Runs an execution from a top-level state other than StartAt, with that state's input: how an
     * interrupted failover goes on from the state after the last one it completed (as Step
     * Functions' redrive goes on from the failed state).
     */
    public Execution run(String executionArn, String startAt, JsonNode input, TaskHandler tasks, Consumer<Event> listener) {
        if (!definition.hasState(startAt)) {
            throw new IllegalArgumentException("the definition has no state " + startAt + " to start at");
        }
        List<Event> history = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "asl-" + executionArn.substring(executionArn.lastIndexOf(':') + 1));
            t.setDaemon(true);
            return t;
        });
        Run run = new Run(tasks, threads, e -> {
            history.add(e);
            listener.accept(e);
        });
        ObjectNode context = context(executionArn, input);
        run.emit("ExecutionStarted", null, null, null, null);
        ObjectNode machine = definition.root().deepCopy();
        machine.put("StartAt", startAt);
        Future<JsonNode> execution = threads.submit(() -> run.states(machine, input.deepCopy(), context, null, null));
        long timeout = definition.timeoutSeconds();
        try {
            JsonNode output = timeout > 0 ? execution.get(timeout, TimeUnit.SECONDS) : execution.get();
            run.emit("ExecutionSucceeded", null, null, null, null);
            return new Execution(executionArn, Execution.SUCCEEDED, output, null, null, List.copyOf(history));
        } catch (TimeoutException e) {
            execution.cancel(true);
            run.emit("ExecutionTimeout", null, null, StatesError.TIMEOUT, null);
            return new Execution(executionArn, Execution.TIMED_OUT, null, StatesError.TIMEOUT,
                    "the execution ran longer than its TimeoutSeconds (" + timeout + " s)", List.copyOf(history));
        } catch (ExecutionException e) {
            StatesError error = e.getCause() instanceof StatesError s ? s
                    : new StatesError(StatesError.RUNTIME, "the local runtime failed: " + e.getCause());
            run.emit("ExecutionFailed", null, null, error.error(), error.cause());
            return new Execution(executionArn, Execution.FAILED, null, error.error(), error.cause(), List.copyOf(history));
        } catch (InterruptedException e) {
            execution.cancel(true);
            Thread.currentThread().interrupt();
            return new Execution(executionArn, "ABORTED", null, "States.Aborted", "interrupted", List.copyOf(history));
        } finally {
            threads.shutdownNow();
        }
    }

    /** The context object's fields a definition may read ({@code $$.Execution.Id} …), as Step Functions fills them. */
    private ObjectNode context(String executionArn, JsonNode input) {
        ObjectNode context = NODES.objectNode();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", executionArn);
        execution.put("Name", executionArn.substring(executionArn.lastIndexOf(':') + 1));
        execution.put("StartTime", clock.instant().toString());
        execution.set("Input", input.deepCopy());
        String machine = executionArn.replace(":execution:", ":stateMachine:");
        machine = machine.lastIndexOf(':') > 0 ? machine.substring(0, machine.lastIndexOf(':')) : machine;
        context.putObject("StateMachine").put("Id", machine).put("Name", machine.substring(machine.lastIndexOf(':') + 1));
        return context;
    }

    /** One execution's running state: its handler, its threads and its history. */
    private final class Run {
        private final TaskHandler tasks;
        private final ExecutorService threads;
        private final Consumer<Event> events;

        Run(TaskHandler tasks, ExecutorService threads, Consumer<Event> events) {
            this.tasks = tasks;
            this.threads = threads;
            this.events = events;
        }

        void emit(String type, String state, Scope scope, String error, String cause) {
            events.accept(new Event(type, clock.millis(), state, scope == null ? null : scope.parent,
                    scope == null ? null : scope.index, error, cause));
        }

        /** The states of a machine (the top level, or a Map's ItemProcessor) from StartAt to an end. */
        JsonNode states(JsonNode machine, JsonNode input, JsonNode context, String parent, Integer index) throws StatesError {
            Scope scope = parent == null ? null : new Scope(parent, index);
            JsonNode states = machine.get("States");
            String name = machine.get("StartAt").asText();
            JsonNode current = input;
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new StatesError("States.Aborted", "the execution was stopped");
                }
                JsonNode state = states.get(name);
                try {
                    hops.beforeState(name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StatesError("States.Aborted", "the execution was stopped before " + name);
                }
                emit("StateEntered", name, scope, null, null);
                Step step = attempt(name, state, current, context, scope);
                emit("StateExited", name, scope, null, null);
                if (step.next == null) {
                    return step.output;
                }
                name = step.next;
                current = step.output;
            }
        }

        /** One state with its Retry and Catch. */
        private Step attempt(String name, JsonNode state, JsonNode input, JsonNode context, Scope scope) throws StatesError {
            List<Retrier> retriers = new ArrayList<>();
            state.path("Retry").forEach(r -> retriers.add(Retrier.of(r)));
            int[] attempts = new int[retriers.size()];
            boolean task = "Task".equals(state.get("Type").asText());
            while (true) {
                try {
                    return execute(name, state, input, context);
                } catch (StatesError e) {
                    emit("StateFailed", name, scope, e.error(), e.cause());
                    int r = firstCovering(retriers, e, task);
                    if (r >= 0 && attempts[r] < retriers.get(r).maxAttempts()) {
                        Duration wait = retriers.get(r).delay(attempts[r]);
                        attempts[r]++;
                        try {
                            sleeper.sleep(wait);
                        } catch (InterruptedException stop) {
                            Thread.currentThread().interrupt();
                            throw new StatesError("States.Aborted", "the execution was stopped while waiting to retry " + name);
                        }
                        emit("StateRetried", name, scope, e.error(), e.cause());
                        continue;
                    }
                    for (JsonNode c : state.path("Catch")) {
                        if (Retrier.of(c).covers(e, task)) {
                            emit("StateCaught", name, scope, e.error(), e.cause());
                            ObjectNode error = NODES.objectNode().put("Error", e.error()).put("Cause", e.cause());
                            String resultPath = c.has("ResultPath") ? (c.get("ResultPath").isNull() ? null : c.get("ResultPath").asText())
                                    : "$";
                            return new Step(JsonPaths.place(resultPath, input, error), c.get("Next").asText());
                        }
                    }
                    throw e;
                }
            }
        }

        private int firstCovering(List<Retrier> retriers, StatesError e, boolean task) {
            for (int i = 0; i < retriers.size(); i++) {
                if (retriers.get(i).covers(e, task)) {
                    return i;
                }
            }
            return -1;
        }

        private Step execute(String name, JsonNode state, JsonNode raw, JsonNode context) throws StatesError {
            String next = state.path("End").asBoolean(false) ? null : state.path("Next").asText(null);
            switch (state.get("Type").asText()) {
                case "Task": {
                    JsonNode in = JsonPaths.filter(state, "InputPath", raw, context);
                    if (state.has("Parameters")) {
                        in = JsonPaths.template(state.get("Parameters"), in, context, "Parameters");
                    }
                    JsonNode result = invoke(name, state, in);
                    return new Step(result(state, raw, result, context), next);
                }
                case "Map": {
                    JsonNode in = JsonPaths.filter(state, "InputPath", raw, context);
                    return new Step(result(state, raw, map(name, state, in, context), context), next);
                }
                case "Choice": {
                    JsonNode in = JsonPaths.filter(state, "InputPath", raw, context);
                    String chosen = null;
                    for (JsonNode rule : state.path("Choices")) {
                        if (ChoiceRule.matches(rule, in, context)) {
                            chosen = rule.get("Next").asText();
                            break;
                        }
                    }
                    if (chosen == null) {
                        chosen = state.path("Default").asText(null);
                    }
                    if (chosen == null) {
                        throw new StatesError(StatesError.NO_CHOICE_MATCHED, "no choice rule of " + name + " matched, and it has no Default");
                    }
                    return new Step(JsonPaths.filter(state, "OutputPath", in, context), chosen);
                }
                case "Pass": {
                    JsonNode in = JsonPaths.filter(state, "InputPath", raw, context);
                    if (state.has("Parameters")) {
                        in = JsonPaths.template(state.get("Parameters"), in, context, "Parameters");
                    }
                    JsonNode result = state.has("Result") ? state.get("Result").deepCopy() : in;
                    return new Step(JsonPaths.filter(state, "OutputPath", JsonPaths.place(state, raw, result), context), next);
                }
                case "Succeed": {
                    JsonNode in = JsonPaths.filter(state, "InputPath", raw, context);
                    return new Step(JsonPaths.filter(state, "OutputPath", in, context), null);
                }
                case "Fail": {
                    String error = state.has("ErrorPath") ? text(JsonPaths.select(state.get("ErrorPath").asText(), raw, context, "ErrorPath"))
                            : state.path("Error").asText(null);
                    String cause = state.has("CausePath") ? text(JsonPaths.select(state.get("CausePath").asText(), raw, context, "CausePath"))
                            : state.path("Cause").asText(null);
                    throw new StatesError(error, cause);
                }
                default:
                    throw new StatesError(StatesError.RUNTIME, "state " + name + " has an unsupported Type");
            }
        }

        /** ResultSelector, then ResultPath into the raw input, then OutputPath. */
        private JsonNode result(JsonNode state, JsonNode raw, JsonNode result, JsonNode context) throws StatesError {
            if (state.has("ResultSelector")) {
                result = JsonPaths.template(state.get("ResultSelector"), result, context, "ResultSelector");
            }
            return JsonPaths.filter(state, "OutputPath", JsonPaths.place(state, raw, result), context);
        }

        /** A Task's handler, bounded by its TimeoutSeconds. */
        private JsonNode invoke(String name, JsonNode state, JsonNode input) throws StatesError {
            String resource = state.get("Resource").asText();
            Future<JsonNode> call = threads.submit(() -> {
                hops.beforeTask(name, resource);
                return tasks.handle(name, resource, input);
            });
            long timeout = state.path("TimeoutSeconds").asLong(0);
            try {
                return timeout > 0 ? call.get(timeout, TimeUnit.SECONDS) : call.get();
            } catch (TimeoutException e) {
                call.cancel(true);
                throw new StatesError(StatesError.TIMEOUT, "state " + name + " did not finish within its TimeoutSeconds (" + timeout + " s)");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StatesError s) {
                    throw s;
                }
                throw new StatesError(StatesError.TASK_FAILED, "the task handler of " + name + " failed: " + e.getCause());
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new StatesError("States.Aborted", "the execution was stopped during " + name);
            }
        }

        /** Every item through the ItemProcessor, MaxConcurrency at a time (0: all at once); results in item order. */
        private JsonNode map(String name, JsonNode state, JsonNode input, JsonNode context) throws StatesError {
            JsonNode items = JsonPaths.select(state.path("ItemsPath").asText("$"), input, context, "ItemsPath");
            if (!items.isArray()) {
                throw new StatesError(StatesError.RUNTIME, "ItemsPath of " + name + " does not select an array");
            }
            int concurrency = state.path("MaxConcurrency").asInt(0);
            Semaphore slots = new Semaphore(concurrency <= 0 ? Math.max(1, items.size()) : concurrency);
            List<Future<JsonNode>> iterations = new ArrayList<>();
            AtomicInteger started = new AtomicInteger();
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                ObjectNode itemContext = context.deepCopy();
                itemContext.putObject("Map").putObject("Item").put("Index", index).set("Value", items.get(index).deepCopy());
                JsonNode itemInput = state.has("ItemSelector")
                        ? JsonPaths.template(state.get("ItemSelector"), input, itemContext, "ItemSelector") : items.get(index).deepCopy();
                iterations.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        started.incrementAndGet();
                        Scope scope = new Scope(name, index);
                        emit("MapIterationStarted", name, scope, null, null);
                        try {
                            JsonNode out = states(state.get("ItemProcessor"), itemInput, itemContext, name, index);
                            emit("MapIterationSucceeded", name, scope, null, null);
                            return out;
                        } catch (StatesError e) {
                            emit("MapIterationFailed", name, scope, e.error(), e.cause());
                            throw e;
                        }
                    } finally {
                        slots.release();
                    }
                }));
            }
            ArrayNode results = NODES.arrayNode();
            StatesError first = null;
            for (Future<JsonNode> f : iterations) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof StatesError s ? s
                                : new StatesError(StatesError.RUNTIME, "a Map iteration of " + name + " failed: " + e.getCause());
                    }
                } catch (InterruptedException e) {
                    iterations.forEach(i -> i.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new StatesError("States.Aborted", "the execution was stopped during " + name);
                }
            }
            if (first != null) {
                throw first;
            }
            return results;
        }

        private String text(JsonNode v) {
            return v.isTextual() ? v.asText() : v.toString();
        }
    }

    private record Scope(String parent, Integer index) {
    }

    /** Where a state leads: its output and the next state's name, or null at an end. */
    private record Step(JsonNode output, String next) {
    }
}
