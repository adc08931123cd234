package io.mhaserverless.node;

/** A failure the agent reports as {"status":"error","error":message} and exit 1; the message is one line naming what to fix. */
public final class AgentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentFailure(String message) {
        super(message);
    }

    public AgentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
