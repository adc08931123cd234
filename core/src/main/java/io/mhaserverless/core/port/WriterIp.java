package io.mhaserverless.core.port;

import io.mhaserverless.core.config.ServerConfig;
import java.util.Optional;

/**
 * Where clients find the writer. AWS: an ENI secondary private IP moved with
 * AssignPrivateIpAddresses; local: a TCP forwarder. Both calls are idempotent: releasing an address
 * the server no longer holds, or assigning one it already holds, succeeds and changes nothing.
 */
public interface WriterIp {

    /**
     * Takes the writer address away from the old master, so it cannot take writes through it: the
     * fence. AWS: the ENI no longer holds it, so the network delivers nothing for it to that host,
     * whatever the host's own interface still says.
     */
    void release(ServerConfig oldMaster);

    /**
     * Takes the address off the old master's host itself (AWS: unbind-ip through SSM), once the
     * failover no longer waits for it: after {@link #release} this is tidying, not fencing, and on a
     * host that died with its instance the SSM command waits its whole pending limit for nothing.
     * Best effort: a host that does not answer keeps it until it rejoins. Idempotent.
     */
    default void clearOldHost(ServerConfig oldMaster) {
    }

    /** Gives the writer address to the new master. */
    void assign(ServerConfig newMaster);

    /**
     * Why {@code server} could not take the writer address, or empty when it can. AWS: a secondary
     * IP must lie in the subnet of the ENI it goes to, so a server whose primary ENI's subnet does not
     * contain the address cannot. Asked before anything is fenced (CheckConfiguration,
     * CheckSwitchover), so that no failover takes the address from the old master with nowhere to put it.
     */
    default Optional<String> cannotTake(ServerConfig server) {
        return Optional.empty();
    }

    /** A description for the report, e.g. "ENI secondary IP 10.0.1.50" or "none". */
    String describe();

    /** No writer address is managed (the config has none): clients follow the topology themselves. */
    WriterIp NONE = new WriterIp() {
        @Override
        public void release(ServerConfig oldMaster) {
        }

        @Override
        public void assign(ServerConfig newMaster) {
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
