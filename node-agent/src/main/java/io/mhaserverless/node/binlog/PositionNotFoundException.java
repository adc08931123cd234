package io.mhaserverless.node.binlog;

/** A source coordinate that no relay-log event ends at; the message says what the relay logs do cover. */
public final class PositionNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    public PositionNotFoundException(String message) {
        super(message);
    }
}
