package io.mhaserverless.core.switchover;

/**
 * The moments inside the write block, in order, before the point of no return (the new master made
 * writable). A {@link FaultHook} is called at each: a test makes a step fail there and asserts that
 * everything is rolled back.
 */
public enum SwitchPoint {
    /** read_only is ON on the old master; its open transactions are not ended yet. */
    READ_ONLY_ON,
    /** Its open transactions are ended and its final position read; the writer address move starts next. */
    OPEN_TRANSACTIONS_ENDED,
    /** The new master has applied the old master's final position (the writer address moves beside it). */
    CAUGHT_UP,
    /** The new master has stopped replicating, and neither server wrote anything of a client's since the block began. */
    REPLICATION_STOPPED,
    /** The writer address is on the new master; the next statement makes it writable. */
    WRITER_ADDRESS_MOVED;

    /** Called at every {@link SwitchPoint}; a RuntimeException thrown there fails the switch at that moment. */
    public interface FaultHook {
        FaultHook NONE = point -> { };

        void at(SwitchPoint point);
    }
}
