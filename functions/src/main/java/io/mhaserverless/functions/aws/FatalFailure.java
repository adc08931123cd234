package io.mhaserverless.functions.aws;

/**
 * A failure that running the step again will not cure: a validation error, access denied, a
 * missing resource, a real conflict, a config that cannot work. The state machine does not retry
 * it; the report carries the message, which names the service, operation and AWS error code.
 */
public final class FatalFailure extends AwsFailure {

    public FatalFailure(String service, String operation, String errorCode, String message, Throwable cause) {
        super(service, operation, errorCode, message, cause);
    }

    /** A condition of ours, not of an AWS call (e.g. a server without instanceId). */
    public FatalFailure(String message) {
        super(null, null, null, message, null);
    }
}
