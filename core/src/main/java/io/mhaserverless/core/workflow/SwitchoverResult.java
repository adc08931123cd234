package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.switchover.SwitchoverState;

/**
 * The output of a switchover's last task, in the shape of a failover's {@link WorkflowResult}
 * ({@code outcome}, {@code newMaster}, {@code summary} — the cause of the Fail state that ends a
 * failed or refused execution), with the switchover's old master and state.
 */
public record SwitchoverResult(String cluster, String mode, FailoverOutcome outcome, String origMaster, String newMaster,
                               String failedPhase, boolean rolledBack, Long writeBlockMillis, String summary, JsonNode report,
                               SwitchoverState state) {
}
