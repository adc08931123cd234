package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.rejoin.RejoinState;

/** The output of a rejoin's last task, in the shape of a failover's {@link WorkflowResult} ({@code outcome}, {@code summary}). */
public record RejoinResult(String cluster, String mode, FailoverOutcome outcome, String server, String master, String failedPhase,
                           String summary, JsonNode report, RejoinState state) {
}
