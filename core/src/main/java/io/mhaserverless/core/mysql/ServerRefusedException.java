package io.mhaserverless.core.mysql;

/**
 * The server answered but will not let us work: wrong credentials, a blocked host, too many
 * connections, or something that is not MySQL at all. MHA's ALIVE_ERROR_CODES: such a server is
 * alive, so it must never be failed over; it is a configuration error to fix.
 */
public final class ServerRefusedException extends Exception {
    private final int errorCode;

    public ServerRefusedException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
