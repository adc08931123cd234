package io.mhaserverless.functions.aws;

/**
 * What every failure of an AWS-facing step carries: which service and operation failed, with which
 * AWS error code. The two kinds, {@link RetryableFailure} and {@link FatalFailure}, are separate
 * classes because the state machine's Retry and Catch match on the class name.
 */
public abstract sealed class AwsFailure extends RuntimeException permits RetryableFailure, FatalFailure {

    private final String service;
    private final String operation;
    private final String errorCode;

    AwsFailure(String service, String operation, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.operation = operation;
        this.errorCode = errorCode;
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
