package io.mhaserverless.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.mhaserverless.core.workflow.Deadline;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The one Lambda function behind every Task of statemachine/asl.json; the payload's {@code step}
 * says which phase to run. One function, not one per phase: a failover runs every phase once, in
 * a row, so one function pays one cold start where nine would pay nine (README, "Why one
 * function"). Thin by design: parse, {@link FailoverWorkflow#handle}, write; the ports come from
 * the {@link FunctionContext}. An exception leaves as the Lambda's errorType, which the state
 * machine's Retry and Catch match by class name.
 */
public final class PhaseFunction implements RequestStreamHandler {

    /** Held for the container's life: its beans (the SnapStart hook among them) live as long as the handler. */
    private final ApplicationContext context;
    private final FailoverWorkflow workflow;

    /** Lambda's constructor, once per container: the context from the environment (MHA_TABLE, MHA_TOPIC_ARN, …). */
    public PhaseFunction() {
        this(FunctionContext.start());
    }

    /** A context started elsewhere: tests and the end-to-end suite, with their endpoints. */
    public PhaseFunction(ApplicationContext context) {
        this.context = context;
        this.workflow = context.getBean(FailoverWorkflow.class);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = FailoverWorkflow.json().readTree(input);
        long started = System.nanoTime();
        String step = request == null ? "?" : request.path("step").asText("?");
        try {
            JsonNode response = workflow.handle(request, invocationDeadline(context));
            FailoverWorkflow.json().writeValue(output, response);
            log(step, request, started, "ok");
        } catch (RuntimeException e) {
            log(step, request, started, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** What this invocation has left before Lambda ends it (tests and the local suite pass no context: unbounded). */
    static Deadline invocationDeadline(Context context) {
        if (context == null || context.getRemainingTimeInMillis() <= 0) {
            return Deadline.NONE;
        }
        return Deadline.withMargin(Duration.ofMillis(context.getRemainingTimeInMillis()));
    }

    /** One line per step for CloudWatch: names and timings only, never the state (it holds topology details). */
    private static void log(String step, JsonNode request, long started, String result) {
        System.out.printf("step=%s cluster=%s execution=%s millis=%d result=%s%n", step,
                request == null ? "?" : request.path("input").path("cluster").asText("?"),
                request == null ? "?" : request.path("execution").asText("?"), (System.nanoTime() - started) / 1_000_000, result);
    }
}
