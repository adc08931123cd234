package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.IpAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import picocli.CommandLine.Command;

/** Removes the writer address from an interface. */
@Command(name = Subcommand.UNBIND_IP,
        header = "Remove the writer address from an interface.",
        mixinStandardHelpOptions = true,
        description = {"Removes A/32 from interface IF (`ip addr del A/32 dev IF`; not there: changed=false). No ARP is sent "
                        + "for an address that leaves (\"arp\":\"not needed\").",
                "JSON: {\"status\":\"ok\",\"changed\":bool,\"arp\":\"not needed\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":the address is not on the interface", ExitCodes.ERROR + ":error (no such interface, ip failed)",
                ExitCodes.USAGE + ":usage error"})
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
        return Outcome.ok(new IpAnswer("ok", changed, "not needed", address, iface).toJson());
    }
}
