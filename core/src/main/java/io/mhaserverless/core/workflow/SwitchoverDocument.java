package io.mhaserverless.core.workflow;

import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.switchover.SwitchoverState;
import java.util.List;

/**
 * What a switchover's execution carries from state to state: the failover document's fields with
 * the switchover's state, so that the report states asl.json shares between both modes see the
 * same paths ({@code applied} stays empty: a switchover applies no diffs).
 *
 * @param replicas  the replicas RepointReplicas works on (empty until CheckSwitchover chose a new master)
 * @param recovered each replica's outcome, once the RepointReplicas Map has run
 * @param config    the configuration CheckSwitchover read, which every later step decides with
 */
public record SwitchoverDocument(FailoverRequest input, SwitchoverState state, List<String> replicas, List<ReplicaOutcome> applied,
                                 List<ReplicaOutcome> recovered, PinnedConfig config) {

    public SwitchoverDocument {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        applied = applied == null ? List.of() : List.copyOf(applied);
        recovered = recovered == null ? List.of() : List.copyOf(recovered);
    }
}
