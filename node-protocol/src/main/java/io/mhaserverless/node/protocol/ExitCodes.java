package io.mhaserverless.node.protocol;

/**
 * The node agent's exit codes, the one spelling every side uses (the agent's picocli help builds its
 * exit-code lists from these constants); the answer's "status" field says the same in words.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The operation failed; {"status":"error","error":"…"} names the file, argument or host. */
    public static final int ERROR = 1;
    /** Usage error: unknown option, missing or malformed argument (picocli). */
    public static final int USAGE = 2;
    /** save-binlog: the binlog holds nothing after the start. */
    public static final int NOTHING_NEWER = 10;
    /** find-relay-position / apply-diff: no relay-log event ends at the given source position. */
    public static final int POSITION_NOT_FOUND = 12;
    /**
     * save-binlog --apply-to: the binlog could not be saved, so nothing was applied (status
     * "not-saved"). Any other failure of that call may have applied part of the saved events.
     */
    public static final int NOT_SAVED = 13;

    private ExitCodes() {
    }

    /** Whether this exit of this subcommand carries an answer to read (anything else is a failure). */
    public static boolean isAnswer(String subcommand, int exit) {
        return exit == OK || (exit == NOTHING_NEWER && Subcommand.SAVE_BINLOG.equals(subcommand));
    }
}
