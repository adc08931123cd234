package io.mhaserverless.functions.aws;

import io.mhaserverless.core.config.ServerConfig;

/**
 * The operating-system side of the writer IP: EC2 decides which ENI receives traffic for the
 * address, but the host must also have it on an interface to answer. AWS: the node agent's
 * {@code bind-ip} / {@code unbind-ip} through SSM ({@link SsmNodeAgent#ipBinding(String)}).
 */
public interface HostIpBinding {

    /** Puts {@code address} on the host's interface; idempotent. Failures propagate: clients cannot reach the new master otherwise. */
    void bind(ServerConfig server, String address);

    /**
     * Takes {@code address} off the host's interface where the host still answers. Best effort: the
     * old master is usually dead, and removing the address from its ENI is what fences it.
     */
    void unbind(ServerConfig server, String address);

    /** Hosts that configure secondary addresses themselves (e.g. amazon-ec2-net-utils). */
    HostIpBinding NONE = new HostIpBinding() {
        @Override
        public void bind(ServerConfig server, String address) {
        }

        @Override
        public void unbind(ServerConfig server, String address) {
        }
    };
}
