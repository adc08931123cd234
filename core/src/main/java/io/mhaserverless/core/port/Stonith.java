package io.mhaserverless.core.port;

import io.mhaserverless.core.config.ServerConfig;

/**
 * "Shoot the other node in the head": power the old master off (AWS: EC2 StopInstances) so a host
 * that only looked dead cannot come back as a second writer. Optional; MHA's shutdown_script.
 */
public interface Stonith {

    /** Returns a line for the report; idempotent on a host that is already off. */
    String powerOff(ServerConfig oldMaster);

    Stonith NONE = oldMaster -> "not configured";
}
