package io.mhaserverless.functions;

import io.micronaut.context.annotation.Factory;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import jakarta.inject.Singleton;

/** Core knows nothing of Micronaut: its workflow becomes a bean here, over whichever runtime the context holds. */
@Factory
public class WorkflowFactory {

    @Singleton
    FailoverWorkflow failoverWorkflow(WorkflowRuntime runtime) {
        return new FailoverWorkflow(runtime);
    }
}
