package io.mhaserverless.local.statemachine;

/**
 * An error as Step Functions names it: what Retry and Catch match ({@code error}) and the text a
 * Catch hands on as {@code Cause}. A task's handler throws it to fail the way a Lambda's
 * {@code errorType} would.
 */
public class StatesError extends Exception {

    /** Matches every error but {@link #RUNTIME}. */
    public static final String ALL = "States.ALL";
    /** Matches every error a Task raises but {@link #TIMEOUT}. */
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    /** A definition or path that cannot be applied: neither retried nor caught, as on AWS. */
    public static final String RUNTIME = "States.Runtime";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";

    private final String error;

    public StatesError(String error, String cause) {
        super(cause, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return getMessage();
    }

    /** Whether a Retry's or Catch's {@code ErrorEquals} entry covers this error. */
    boolean matches(String name, boolean taskState) {
        if (error.equals(name)) {
            return true;
        }
        if (RUNTIME.equals(error)) {
            return false;
        }
        if (ALL.equals(name)) {
            return true;
        }
        return taskState && TASK_FAILED.equals(name) && !TIMEOUT.equals(error);
    }
}
