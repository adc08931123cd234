package io.mhaserverless.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Context;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.core.workflow.FailoverPriming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs before Lambda takes the SnapStart snapshot: a CRaC {@link Resource}, registered with
 * org.crac's global context (the hook Lambda's Java runtime calls) when the function's context
 * starts ({@link Context @Context}: built eagerly). Not micronaut-crac: its registrar and its
 * data-source, Redis and Netty resources cost every cold start (about 40 ms of CPU, 5 runs here) for nothing this
 * function has. It loads, and lets the JIT see, the code every failover step
 * runs first — the handler's JSON, the step dispatch, the workflow document's (de)serializers,
 * the cluster config's YAML parser and checks, the JDBC driver — so a restored function does not
 * pay for it in the middle of a failover ({@link FailoverPriming}, which {@code mha manager} runs
 * too). The SDK clients are already built by then (singletons of the context). It reads no config,
 * resolves no credentials and opens no connection: nothing in the snapshot can be stale or secret
 * after a restore.
 */
@Context
public class SnapStartPriming implements Resource {

    static final String KEEP_WARM = "{\"step\":\"" + FailoverWorkflow.KEEP_WARM + "\"}";

    private final FailoverWorkflow workflow;

    public SnapStartPriming(FailoverWorkflow workflow) {
        this.workflow = workflow;
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws IOException {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: no connection, credential or config was held across the snapshot
    }

    /** What the checkpoint runs; callable on its own (tests, a plain JVM's init). */
    public void prime() throws IOException {
        ObjectMapper json = FailoverWorkflow.json();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeValue(out, workflow.handle(json.readTree(KEEP_WARM)));
        FailoverPriming.prime();
    }
}
