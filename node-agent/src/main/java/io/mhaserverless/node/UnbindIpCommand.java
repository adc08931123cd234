package io.mhaserverless.node;

import picocli.CommandLine.Command;

/** Removes the writer address from an interface. */
@Command(name = "unbind-ip",
        header = "Remove the writer address from an interface.",
        mixinStandardHelpOptions = true,
        description = {"Removes A/32 from interface IF (`ip addr del A/32 dev IF`; not there: changed=false). No ARP is sent "
                        + "for an address that leaves (\"arp\":\"not needed\").",
                "JSON: {\"status\":\"ok\",\"changed\":bool,\"arp\":\"not needed\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the address is not on the interface", "1:error (no such interface, ip failed)", "2:usage error"})
final class UnbindIpCommand extends IpAddressCommand {

    @Override
    Outcome execute() throws Exception {
        validate();
        boolean changed = false;
        if (bound()) {
            ip("del");
            changed = true;
        } else {
            log().accept(address + " is not on " + iface);
        }
        return Outcome.ok(Json.object("ok").put("changed", changed).put("arp", "not needed")
                .put("address", address).put("interface", iface));
    }
}
