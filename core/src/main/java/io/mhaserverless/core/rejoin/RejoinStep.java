package io.mhaserverless.core.rejoin;

/** The steps of a rejoin by the names an operator reads: asl.json's state names, the report's lines. */
public enum RejoinStep {
    /** Changes nothing: finds the current master and whether the returning server holds anything it lacks. */
    CHECK_REJOIN("CheckRejoin"),
    /** read_only ON, the same check again, then replication from the current master. */
    REJOIN_AS_REPLICA("RejoinAsReplica");

    private final String stateName;

    RejoinStep(String stateName) {
        this.stateName = stateName;
    }

    public String stateName() {
        return stateName;
    }

    @Override
    public String toString() {
        return stateName;
    }
}
