package io.mhaserverless.core.port;

import java.util.Optional;

/**
 * Starts the failover workflow for the probe (AWS: Step Functions StartExecution of asl.json;
 * locally: the same asl.json run in this process, to its end).
 */
public interface WorkflowStarter {

    /**
     * Starts the execution {@code name} with {@code inputJson}. An execution of that name that
     * exists already counts as started (it is the same detection, seen again or by a successor),
     * so a death is failed over once however often it is detected.
     */
    Started start(String name, String inputJson);

    /**
     * Called once before a watch begins. A starter that runs the failover in this process loads it
     * now ({@link io.mhaserverless.core.workflow.FailoverPriming}), so that the one failover of a
     * long watch does not run cold; Step Functions' starter has nothing to prepare.
     */
    default void prepare() {
    }

    /**
     * Finishes a failover whose controller is gone (its progress saved, nobody running it), when
     * this runtime can tell that and can finish it: the local runtime, whose controller was a
     * process on this host. Step Functions finishes its own executions, or an operator redrives
     * them, so the AWS starter answers empty and the probe only waits.
     */
    default Optional<Started> finishAbandoned(StateStore.Progress progress) {
        return Optional.empty();
    }

    /**
     * @param executionId     the execution's id (an ARN on AWS)
     * @param alreadyExisted  the name had been started before; nothing new runs
     * @param finished        the execution has ended by the time start returned (the local starter runs it through)
     */
    record Started(String executionId, boolean alreadyExisted, boolean finished) {
    }

    /** The starter's own failure (throttled, denied, the state machine missing): the probe logs it and tries again. */
    final class StartFailed extends RuntimeException {
        public StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
