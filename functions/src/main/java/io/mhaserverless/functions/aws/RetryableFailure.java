package io.mhaserverless.functions.aws;

/**
 * A failure that may pass if the same step runs again: throttling, a 5xx, a timeout, a dropped
 * connection. The state machine's Retry matches this class name; everything else is a
 * {@link FatalFailure} and goes to Catch. Steps are idempotent, so running one again is safe.
 */
public final class RetryableFailure extends RuntimeException {

    private final String service;
    private final String operation;
    private final String errorCode;

    public RetryableFailure(String service, String operation, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.operation = operation;
        this.errorCode = errorCode;
    }

    /** A condition of ours, not of an AWS call (e.g. an address that has not settled yet). */
    public RetryableFailure(String message) {
        this(null, null, null, message, null);
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    /** The AWS error code, or the client exception's name when the request never got an answer. */
    public String errorCode() {
        return errorCode;
    }
}
