package io.mhaserverless.core.failover;

import java.util.Arrays;
import java.util.Optional;

/**
 * The phases of a failover by the names an operator reads: the Step Functions console's state
 * names, the report's lines and the recorded {@link FailoverState.PhaseRecord}s. asl.json names
 * its states after these; a test checks that they agree.
 */
public enum PhaseName {
    CHECK_CONFIGURATION("CheckConfiguration"),
    FENCE_DEAD_MASTER("FenceDeadMaster"),
    FIND_LATEST_REPLICAS("FindLatestReplicas"),
    SAVE_DEAD_MASTER_BINLOG("SaveDeadMasterBinlog"),
    SELECT_NEW_MASTER("SelectNewMaster"),
    RECOVER_NEW_MASTER("RecoverNewMaster"),
    MOVE_WRITER_IP("MoveWriterIp"),
    /** A Map state, one iteration per replica: {@link RecoverReplicas}. */
    RECOVER_REPLICAS("RecoverReplicas"),
    CLEANUP("Cleanup");

    private final String stateName;

    PhaseName(String stateName) {
        this.stateName = stateName;
    }

    public String stateName() {
        return stateName;
    }

    public static Optional<PhaseName> ofStateName(String name) {
        return Arrays.stream(values()).filter(p -> p.stateName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return stateName;
    }
}
