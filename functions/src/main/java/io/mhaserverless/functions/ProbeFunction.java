package io.mhaserverless.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The probe (ARCHITECTURE.md §1): started every minute by EventBridge Scheduler, it watches every
 * cluster under the config prefix for {@code MHA_PROBE_WATCH_MILLIS}, each through its lease, and
 * starts a dead master's failover once ({@link ProbeInvocation}). Thin by design: the schedule's
 * event is ignored, the answer says what was started.
 */
public final class ProbeFunction implements RequestStreamHandler {

    /** Lambda's end must not cut a watch mid-step: the watch ends this long before the invocation's deadline. */
    static final Duration MARGIN = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeInvocation invocation;
    private final ProbeSettings settings;

    /** Lambda's constructor, once per container. */
    public ProbeFunction() {
        this(FunctionContext.start());
    }

    /** A context started elsewhere: the end-to-end suite, with its endpoints. */
    public ProbeFunction(ApplicationContext context) {
        this.settings = context.getBean(ProbeSettings.class);
        this.invocation = context.getBean(ProbeInvocation.class);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // the schedule's event carries nothing the probe needs
        Instant now = Instant.now();
        Instant until = now.plus(settings.watch());
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            Instant deadline = now.plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
            until = until.isAfter(deadline) ? deadline : until;
        }
        String owner = "probe@" + (context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : UUID.randomUUID());
        ObjectNode result = invocation.run(owner, until);
        JSON.writeValue(output, result);
    }
}
