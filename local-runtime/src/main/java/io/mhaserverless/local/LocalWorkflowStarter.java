package io.mhaserverless.local;

import io.mhaserverless.core.workflow.FailoverPriming;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WorkflowStarter;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The probe's {@link WorkflowStarter} for {@code mha manager}: runs asl.json in this process
 * through {@link LocalFailover}, to its end, as {@code mha failover} would. A name started before
 * by this process is not run again (Step Functions' ExecutionAlreadyExists).
 */
public final class LocalWorkflowStarter implements WorkflowStarter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalFailover failover;
    private final WorkflowRuntime runtime;
    private final Progress progress;
    private final Consumer<LocalFailover.Result> finished;
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    /** @param finished told of every run's result (the manager prints it, tests assert on it) */
    public LocalWorkflowStarter(LocalFailover failover, WorkflowRuntime runtime, Progress progress, Consumer<LocalFailover.Result> finished) {
        this.failover = failover;
        this.runtime = runtime;
        this.progress = progress;
        this.finished = finished;
    }

    /** The failover runs in this JVM: its classes are loaded before the watch, not after a death. */
    @Override
    public void prepare() {
        FailoverPriming.prime();
        FailoverPriming.loadClasses(LocalWorkflowStarter.class);
    }

    @Override
    public Started start(String name, String inputJson) {
        if (!started.add(name)) {
            return new Started(name, true, true);
        }
        JsonNode input;
        try {
            input = JSON.readTree(inputJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the probe's input is not JSON: " + inputJson, e);
        }
        progress.info("Probe", "starting failover " + name);
        return run(input);
    }

    /** A failover whose controller's process is gone from this host is finished here, from where it stood. */
    @Override
    public Optional<Started> finishAbandoned(StateStore.Progress saved) {
        boolean gone = LocalExecutionId.parse(saved.executionId()).map(LocalExecutionId::goneFromThisHost).orElse(false);
        if (!gone) {
            return Optional.empty();
        }
        ObjectNode input = JSON.createObjectNode().put("cluster", saved.cluster());
        return Optional.of(run(input));
    }

    private Started run(JsonNode input) {
        LocalFailover.Result result = failover.run(input, runtime, progress);
        finished.accept(result);
        return new Started(result.execution().arn(), false, true);
    }
}
