package io.mhaserverless.core.mysql;

/** The server is not a MySQL or MariaDB release this tool knows how to fail over. */
public final class UnsupportedServerException extends RuntimeException {
    public UnsupportedServerException(String message) {
        super(message);
    }
}
