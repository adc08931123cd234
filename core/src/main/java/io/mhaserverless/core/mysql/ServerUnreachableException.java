package io.mhaserverless.core.mysql;

/** No MySQL answer at the server's address (refused, timed out, reset): for failover purposes, dead. */
public final class ServerUnreachableException extends Exception {
    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
