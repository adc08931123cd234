package io.mhaserverless.functions.aws;

/**
 * A failure that may pass if the same step runs again: throttling, a 5xx, a timeout, a dropped
 * connection. The state machine's Retry matches this class name; everything else is a
 * {@link FatalFailure} and goes to Catch. Steps are idempotent, so running one again is safe.
 */
public final class RetryableFailure extends AwsFailure {

    public RetryableFailure(String service, String operation, String errorCode, String message, Throwable cause) {
        super(service, operation, errorCode, message, cause);
    }

    /** A condition of ours, not of an AWS call (e.g. an address that has not settled yet). */
    public RetryableFailure(String message) {
        super(null, null, null, message, null);
    }
}
