package io.mhaserverless.core.failover;

/** How a failover ended; the exit codes are MHA's. */
public enum FailoverOutcome {
    /** New master serves and every replica follows it. */
    SUCCEEDED(0),
    /** New master serves, but some replica could not be repointed. */
    PARTIAL(10),
    /**
     * New master serves, but transactions the dead master wrote after the boundary may be lost: its
     * binlog could not be read (its host did not answer, or it was forced past an unreadable
     * binlogDir). Some replica may not follow either: the report says. Not MHA's: it exits 0 there.
     */
    POSSIBLE_LOSS(11),
    /** Stopped; the report names what had already been done. */
    FAILED(1),
    /** The first phase refused before anything changed (master alive, unsafe topology, recent failover …). */
    REFUSED(1);

    private final int exitCode;

    FailoverOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The outcome a label names ({@link #label()}), SUCCEEDED for anything unknown. */
    public static FailoverOutcome ofLabel(String label) {
        for (FailoverOutcome o : values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return SUCCEEDED;
    }

    /** As the report, the record and the workflow's output spell it. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
