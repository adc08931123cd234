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
            long started = context.clock().millis();
            try {
                state = phase.apply(state, context);
            } catch (RuntimeException e) {
                String error = e instanceof FailoverException ? e.getMessage() : e.toString();
                context.progress().info(phase.name(), "FAILED: " + error);
                return finish(state, context, FailoverOutcome.FAILED, phase.name(), error);
            }
            long millis = context.clock().millis() - started;
            state = state.withPhase(new FailoverState.PhaseRecord(phase.name(), started, millis, ""));
        }
        boolean allRecovered = state.outcomes().stream().allMatch(FailoverState.ReplicaOutcome::ok);
        return finish(state, context, allRecovered ? FailoverOutcome.SUCCEEDED : FailoverOutcome.PARTIAL, null, null);
    }

    private static Result finish(FailoverState state, FailoverContext context, FailoverOutcome outcome, String failedPhase,
                                 String error) {
        ClusterConfig config = context.config();
        return new Result(state, outcome, FailoverReport.of(state, config, outcome, failedPhase, error));
    }
}
