package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.IpAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Binds the writer address to an interface and announces it with a gratuitous ARP. */
@Command(name = Subcommand.BIND_IP,
        header = "Bind the writer address to an interface and send a gratuitous ARP.",
        mixinStandardHelpOptions = true,
        description = {"Adds A/32 to interface IF (`ip addr add A/32 dev IF`; already there: changed=false), then announces "
                        + "it with a gratuitous ARP (`arping -U -c1 -I IF A`) when arping is installed, so neighbours drop "
                        + "stale entries.",
                "JSON: {\"status\":\"ok\",\"changed\":bool,\"arp\":\"sent\"|\"arping not installed\"|\"failed: …\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":the address is on the interface", ExitCodes.ERROR + ":error (no such interface, ip failed)",
                ExitCodes.USAGE + ":usage error"})
final class BindIpCommand extends IpAddressCommand {

    @Option(names = "--confirm-metadata", description = "after binding, wait until the EC2 instance metadata (IMDSv2) lists A in "
            + "local-ipv4s of IF's MAC address, i.e. EC2 has given this ENI the address; fail otherwise")
    boolean confirmMetadata;

    @Option(names = "--metadata-timeout-seconds", defaultValue = "30", paramLabel = "S",
            description = "how long --confirm-metadata waits (default: ${DEFAULT-VALUE})")
    long metadataTimeoutSeconds;

    /** Tests point it at a local server playing IMDS. */
    @Option(names = "--metadata-endpoint", hidden = true, defaultValue = "http://169.254.169.254")
    String metadataEndpoint;

    @Override
    Outcome execute() throws Exception {
        validate();
        if (metadataTimeoutSeconds < 1) {
            throw usage("--metadata-timeout-seconds must be at least 1, not " + metadataTimeoutSeconds);
        }
        boolean changed = false;
        if (bound()) {
            log().accept(address + " is already on " + iface);
        } else {
            ip("add");
            changed = true;
        }
        if (confirmMetadata) {
            // Before the ARP and before "ok": a host that answers for an address EC2 routes elsewhere serves nobody.
            new InstanceMetadata(java.net.URI.create(metadataEndpoint)).confirm(address, InstanceMetadata.macOf(iface),
                    java.time.Duration.ofSeconds(metadataTimeoutSeconds), log());
        }
        String arp;
        Optional<Path> arping = arping();
        if (arping.isEmpty()) {
            arp = "arping not installed";
            log().accept("arping is not installed (iputils-arping): no gratuitous ARP; neighbours learn the move when their entries expire");
        } else {
            ProcessRunner.Result r = ProcessRunner.run(List.of(arping.get().toString(), "-U", "-c1", "-I", iface, address), 15);
            arp = r.exit() == 0 ? "sent" : "failed: " + Json.oneLine(r.output());
            log().accept("gratuitous ARP for " + address + " on " + iface + ": " + arp);
        }
        return Outcome.ok(new IpAnswer("ok", changed, arp, address, iface).toJson());
    }
}
