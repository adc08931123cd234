package io.mhaserverless.core.workflow;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.metrics.MetricsSink;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The ports one step of the workflow works with. AWS: Parameter Store, Secrets Manager, EC2, SSM,
 * DynamoDB and SNS adapters built by the Lambda; locally: the config file, the local writer
 * endpoint and node agent, a state file and the console (ARCHITECTURE.md §3). Built per
 * invocation or once per process, but never holding a connection or a secret from one step to
 * the next, so a Lambda snapshot (SnapStart) carries none.
 */
public interface WorkflowRuntime {

    /** The context of a phase of this cluster's failover: its config is read anew by every call. */
    FailoverContext context(String cluster);

    StateStore stateStore();

    /**
     * These ports with every wait bounded by {@code deadline} (one step's). Locally the interpreter
     * bounds each Task by its TimeoutSeconds and kills the agent it started, so the local runtime
     * keeps its own timeouts; on AWS the SSM waits and the agent's own timeout come from it.
     */
    default WorkflowRuntime within(Deadline deadline) {
        return this;
    }

    Notifier notifier();

    /**
     * How long the failover lock holds if nobody releases it: longer than the state machine's own
     * TimeoutSeconds, so a lock outlives only an execution that no Catch could clean up after.
     */
    default Duration lockTtl() {
        return Duration.ofMinutes(45);
    }

    /**
     * Where a failover's figures go at its end (EMF on stdout on Lambda). A wrapper that delegates to
     * another runtime must delegate this too (WorkflowRuntimeDelegationTest).
     */
    default MetricsSink metrics() {
        return MetricsSink.NONE;
    }

    /** Every time the workflow records (start, end, lock expiry) comes from here. */
    default Clock clock() {
        return Clock.systemUTC();
    }
}
