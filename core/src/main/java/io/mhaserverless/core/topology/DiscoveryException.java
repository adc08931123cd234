package io.mhaserverless.core.topology;

/**
 * A server answered but refused us (credentials, host blocked, not MySQL, unsupported version):
 * a configuration error to fix before anything can be checked or failed over.
 */
public final class DiscoveryException extends RuntimeException {
    public DiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
