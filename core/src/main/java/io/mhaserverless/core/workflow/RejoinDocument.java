package io.mhaserverless.core.workflow;

import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.rejoin.RejoinState;
import java.util.List;

/**
 * What a rejoin's execution carries from state to state: the failover document's fields (so that
 * the report states asl.json shares between the modes find the same paths; the lists stay empty)
 * with the rejoin's state.
 */
public record RejoinDocument(FailoverRequest input, RejoinState state, List<String> replicas, List<ReplicaOutcome> applied,
                             List<ReplicaOutcome> recovered, PinnedConfig config) {

    public RejoinDocument {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        applied = applied == null ? List.of() : List.copyOf(applied);
        recovered = recovered == null ? List.of() : List.copyOf(recovered);
    }
}
