package io.mhaserverless.core.workflow;

import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import java.util.List;

/**
 * What an execution carries from state to state (statemachine/asl.json): the validated input, the
 * failover's state, and the lists the Map states iterate over and fill. Plain JSON, as the Step
 * Functions console shows it between phases.
 *
 * @param replicas  the replicas RecoverReplicas works on (empty until a new master is selected)
 * @param applied   file/position mode: each replica's first-pass outcome (relay-log diff and saved binlog)
 * @param recovered each replica's outcome, once the RecoverReplicas Map has run
 * @param config    the configuration CheckConfiguration read, which every later step decides with
 */
public record WorkflowDocument(FailoverRequest input, FailoverState state, List<String> replicas, List<ReplicaOutcome> applied,
                               List<ReplicaOutcome> recovered, PinnedConfig config) {

    public WorkflowDocument {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        applied = applied == null ? List.of() : List.copyOf(applied);
        recovered = recovered == null ? List.of() : List.copyOf(recovered);
    }
}
