package io.mhaserverless.core.topology;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether two host:port pairs are the same server. A replica may name its source by IP while the
 * config uses a host name (or the reverse), so names that differ are compared by address too.
 */
public final class Addresses {

    private Addresses() {
    }

    public static boolean same(String hostA, int portA, String hostB, int portB) {
        if (portA != portB) {
            return false;
        }
        if (hostA.equalsIgnoreCase(hostB)) {
            return true;
        }
        try {
            return InetAddress.getByName(hostA).equals(InetAddress.getByName(hostB));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
