package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;

/**
 * The output of an execution's last task: what `aws stepfunctions describe-execution` shows, and
 * the cause of the Fail state that ends a failed or refused execution ({@code summary}).
 *
 * @param outcome     succeeded, partial, failed or refused
 * @param failedPhase the phase that stopped the failover, if it stopped
 * @param report      the failover report's JSON form
 * @param state       the failover's state as the last phase left it
 */
public record WorkflowResult(String cluster, FailoverOutcome outcome, String deadMaster, String newMaster, String failedPhase,
                             String summary, JsonNode report, FailoverState state) {
}
