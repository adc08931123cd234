package io.mhaserverless.core.switchover;

import java.util.Arrays;
import java.util.Optional;

/**
 * The steps of a planned switchover by the names an operator reads: the Step Functions console's
 * state names (asl.json's switchover branch), the report's lines and the recorded phase records.
 */
public enum SwitchoverStep {
    CHECK_SWITCHOVER("CheckSwitchover"),
    /** The write block: old master read-only, new master caught up, writable, writer IP moved. */
    SWITCH_MASTER("SwitchMaster"),
    /** A Map state, one iteration ({@code RepointReplica}) per other replica: {@link RepointReplicas}. */
    REPOINT_REPLICAS("RepointReplicas"),
    SWITCHOVER_CLEANUP("SwitchoverCleanup"),
    ORIG_MASTER_AS_REPLICA("OrigMasterAsReplica");

    /** The Task state of one RepointReplicas iteration. */
    public static final String REPOINT_REPLICA = "RepointReplica";

    private final String stateName;

    SwitchoverStep(String stateName) {
        this.stateName = stateName;
    }

    public String stateName() {
        return stateName;
    }

    public static Optional<SwitchoverStep> ofStateName(String name) {
        return Arrays.stream(values()).filter(p -> p.stateName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return stateName;
    }
}
