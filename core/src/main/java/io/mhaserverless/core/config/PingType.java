package io.mhaserverless.core.config;

/** MHA's ping_type: how the probe asks the master whether it is alive. */
public enum PingType {
    /** {@code SELECT 1} on a kept connection. */
    SELECT,
    /** A new connection and {@code SELECT 1} every time. */
    CONNECT,
    /** An upsert into a heartbeat table: also catches a master that answers but cannot write. */
    INSERT
}
