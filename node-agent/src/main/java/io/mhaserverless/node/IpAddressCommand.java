package io.mhaserverless.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** bind-ip / unbind-ip: the writer address as a /32 on an interface of this host, with `ip addr`. */
abstract class IpAddressCommand extends AgentCommand {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    @Option(names = "--address", required = true, paramLabel = "A", description = "IPv4 address, bound as A/32")
    String address;

    @Option(names = "--interface", required = true, paramLabel = "IF", description = "network interface, e.g. eth0")
    String iface;

    void validate() {
        if (!IPV4.matcher(address).matches()) {
            throw usage("--address " + address + " is not an IPv4 address");
        }
        try {
            if (!(InetAddress.getByName(address) instanceof Inet4Address)) {
                throw usage("--address " + address + " is not an IPv4 address");
            }
        } catch (java.net.UnknownHostException e) {
            throw usage("--address " + address + " is not an IPv4 address");
        }
        if (!INTERFACE.matcher(iface).matches()) {
            throw usage("--interface '" + iface + "' is not an interface name");
        }
    }

    Path ip() {
        return Programs.find("ip").orElseThrow(() -> new AgentFailure("the ip command (iproute2) is not installed"));
    }

    /** Whether the address is on the interface; fails naming the interface when it does not exist. */
    boolean bound() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of(ip().toString(), "-o", "-4", "addr", "show", "dev", iface), 10);
        if (r.exit() != 0) {
            throw new AgentFailure("interface " + iface + ": " + Json.oneLine(r.output().isEmpty() ? "ip exited " + r.exit() : r.output()));
        }
        for (String line : r.stdout().split("\n")) {
            if (line.matches(".*\\binet " + Pattern.quote(address) + "/\\d+.*")) {
                return true;
            }
        }
        return false;
    }

    void ip(String action) throws Exception {
        List<String> command = List.of(ip().toString(), "addr", action, address + "/32", "dev", iface);
        log().accept(String.join(" ", command));
        ProcessRunner.Result r = ProcessRunner.run(command, 10);
        if (r.exit() != 0) {
            throw new AgentFailure("ip addr " + action + " " + address + "/32 dev " + iface + " failed: " + Json.oneLine(r.output()));
        }
    }

    static Optional<Path> arping() {
        return Programs.find("arping");
    }
}
