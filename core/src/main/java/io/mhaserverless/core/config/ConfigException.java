package io.mhaserverless.core.config;

/** A cluster configuration that cannot be used; the message names the file, line and key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
