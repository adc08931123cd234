package io.mhaserverless.functions.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an SDK exception into {@link RetryableFailure} or {@link FatalFailure}, with a message
 * that names the service, the operation and the AWS error code:
 * {@code EC2 AssignPrivateIpAddresses failed: RequestLimitExceeded (HTTP 503): Request limit exceeded.}
 * The SDK has already retried (standard retry mode) when this runs, so a retryable failure here
 * means "let Step Functions try the whole step again later".
 */
public final class AwsErrors {

    /**
     * Codes that mean "busy or briefly broken, not wrong", beyond what {@code isThrottlingException()}
     * and the HTTP status already say (some services answer these with a 400).
     */
    private static final Set<String> RETRYABLE_CODES = Set.of(
            "Throttling", "ThrottlingException", "Throttled", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
            "BandwidthLimitExceeded", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
            "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
            "InternalServerErrorException", "InternalException", "ServiceUnavailable", "ServiceUnavailableException",
            "Unavailable", "TransactionInProgressException");

    private AwsErrors() {
    }

    /** Runs one AWS call; any SDK exception comes out mapped. */
    public static <T> T call(String service, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw map(service, operation, e);
        }
    }

    public static RuntimeException map(String service, String operation, SdkException e) {
        String code = code(e);
        String message = service + " " + operation + " failed: " + code + detail(e);
        return retryable(e)
                ? new RetryableFailure(service, operation, code, message, e)
                : new FatalFailure(service, operation, code, message, e);
    }

    /** The AWS error code; for a request that got no answer, the client exception's simple name. */
    public static String code(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    public static boolean hasCode(SdkException e, String code) {
        return code.equals(code(e));
    }

    static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException s) {
            return s.isThrottlingException() || s.statusCode() >= 500 || s.statusCode() == 429
                    || RETRYABLE_CODES.contains(code(e));
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        // A client exception caused by I/O (refused, reset, unknown host, read timeout) is the network;
        // one without (no region, no credentials, an unparseable answer) is a setup error.
        return e instanceof SdkClientException && causedByIo(e);
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String detail(SdkException e) {
        if (e instanceof AwsServiceException s) {
            String text = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            return " (HTTP " + s.statusCode() + ")" + (text == null || text.isBlank() ? "" : ": " + text);
        }
        return e.getMessage() == null ? "" : ": " + e.getMessage();
    }
}
