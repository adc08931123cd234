package io.mhaserverless.functions.aws;

/**
 * A failure that running the step again will not cure: a validation error, access denied, a
 * missing resource, a real conflict, a config that cannot work. The state machine does not retry
 * it; the report carries the message, which names the service, operation and AWS error code.
 */
public final class FatalFailure extends RuntimeException {

    private final String service;
    private final String operation;
    private final String errorCode;

    public FatalFailure(String service, String operation, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.operation = operation;
        this.errorCode = errorCode;
    }

    /** A condition of ours, not of an AWS call (e.g. a server without instanceId). */
    public FatalFailure(String message) {
        this(null, null, null, message, null);
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    public String errorCode() {
        return errorCode;
    }
}
