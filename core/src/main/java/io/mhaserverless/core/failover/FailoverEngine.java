package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import java.util.List;

/**
 * Runs the phases of a dead-master failover in order, in one process: what `mha failover` does
 * from an operator's shell, and what Step Functions does across Lambda invocations.
 */
public final class FailoverEngine {

    /** ARCHITECTURE.md §1; the report is built from the final state. */
    public static final List<Phase> PHASES = List.of(
            new CheckConfiguration(),
            new FenceDeadMaster(),
            new FindLatestReplicas(),
            new SaveDeadMasterBinlog(),
            new SelectNewMaster(),
            new RecoverNewMaster(),
            new MoveWriterIp(),
            new RecoverReplicas(),
            new Cleanup());

    public record Result(FailoverState state, FailoverOutcome outcome, FailoverReport report) {
    }

    public Result run(FailoverState initial, FailoverContext context) {
        FailoverState state = initial;
        for (Phase phase : PHASES) {
            try {
                state = runPhase(phase, state, context);
            } catch (RuntimeException e) {
                String error = errorMessage(e);
                context.progress().info(phase.name(), "FAILED: " + error);
                return finish(state, context, FailoverOutcome.FAILED, phase.name(), error);
            }
        }
        boolean allRecovered = state.outcomes().stream().allMatch(FailoverState.ReplicaOutcome::ok);
        return finish(state, context, allRecovered ? FailoverOutcome.SUCCEEDED : FailoverOutcome.PARTIAL, null, null);
    }

    /** Runs one phase and records when it ran: what this loop and each Step Functions task do alike. */
    public static FailoverState runPhase(Phase phase, FailoverState state, FailoverContext context) {
        long started = context.clock().millis();
        FailoverState next = phase.apply(state, context);
        return next.withPhase(new FailoverState.PhaseRecord(phase.name(), started, context.clock().millis() - started, ""));
    }

    /** The phase by the name an operator sees (the Step Functions state's name). */
    public static java.util.Optional<Phase> phase(String name) {
        return PHASES.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** What the report says about an exception: our own messages as they are, anything else with its type. */
    public static String errorMessage(RuntimeException e) {
        return e instanceof FailoverException ? e.getMessage() : e.toString();
    }

    private static Result finish(FailoverState state, FailoverContext context, FailoverOutcome outcome, String failedPhase,
                                 String error) {
        ClusterConfig config = context.config();
        return new Result(state, outcome, FailoverReport.of(state, config, outcome, failedPhase, error));
    }
}
