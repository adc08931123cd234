package io.mhaserverless.functions.fake;

/** An error reply: FakeAws renders it in the protocol of the service that raised it. */
public final class AwsFault extends RuntimeException {

    private final String code;
    private final int status;

    public AwsFault(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public static AwsFault badRequest(String code, String message) {
        return new AwsFault(code, message, 400);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
