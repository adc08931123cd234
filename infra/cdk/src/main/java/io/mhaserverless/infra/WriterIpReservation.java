package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnResource;
import software.constructs.Construct;

/**
 * How the writer IPs are kept from being handed out. Between FenceDeadMaster (the address leaves the
 * old master's ENI) and MoveWriterIp (it goes to the new master's) the address is free, and EC2 may
 * give a free address of the subnet to any new ENI: a Lambda interface, an instance launched at that
 * moment. An explicit subnet CIDR reservation of the /32 makes EC2 never pick it on its own, while an
 * explicit AssignPrivateIpAddresses still may; a reservation may cover an address already in use.
 *
 * @param mode      {@link Mode#STACK}: this stack creates one reservation per address;
 *                  {@link Mode#PREREQUISITE}: the operator made them (infra/cdk/README.md)
 * @param addresses the writer IPs with their subnets; empty in {@link Mode#PREREQUISITE}
 */
public record WriterIpReservation(Mode mode, List<WriterIp> addresses) {

    public enum Mode { STACK, PREREQUISITE }

    static final String RESOURCE_TYPE = "AWS::EC2::SubnetCidrReservation";

    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** A writer IP and the subnet it lives in (the subnet every server that may hold it shares). */
    public record WriterIp(String subnetId, String address) {
        public WriterIp {
            if (subnetId == null || !SUBNET_ID.matcher(subnetId).matches()) {
                throw new IllegalArgumentException("writer IP " + address + ": subnet id \"" + subnetId
                        + "\" is not of the form subnet-0123456789abcdef0");
            }
            if (address == null || !IPV4.matcher(address).matches()) {
                throw new IllegalArgumentException("writer IP of " + subnetId + ": \"" + address
                        + "\" is not an IPv4 address");
            }
        }

        /** {@code subnet-0123…=10.0.1.50}, the form of the writerIps context value. */
        static WriterIp parse(String entry) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("writerIps entry \"" + entry + "\" is not <subnetId>=<address>");
            }
            return new WriterIp(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }

        String logicalIdSuffix() {
            return address.replace('.', '-');
        }
    }

    public WriterIpReservation {
        addresses = List.copyOf(addresses);
        if (mode == Mode.PREREQUISITE && !addresses.isEmpty()) {
            throw new IllegalArgumentException("context " + MhaServerlessProps.WRITER_IP_RESERVATION + "=prerequisite says the"
                    + " reservations exist already, but " + MhaServerlessProps.WRITER_IPS + " asks the stack to create them for "
                    + addresses.stream().map(WriterIp::address).toList() + ": give one of the two");
        }
        if (addresses.stream().map(WriterIp::address).distinct().count() != addresses.size()) {
            throw new IllegalArgumentException("context " + MhaServerlessProps.WRITER_IPS + " names an address twice: " + addresses);
        }
    }

    /** No reservation by the stack: tests and stacks without a VPC. */
    static WriterIpReservation none() {
        return new WriterIpReservation(Mode.STACK, List.of());
    }

    static WriterIpReservation prerequisite() {
        return new WriterIpReservation(Mode.PREREQUISITE, List.of());
    }

    static WriterIpReservation byStack(List<WriterIp> addresses) {
        return new WriterIpReservation(Mode.STACK, addresses);
    }

    /** One explicit /32 reservation per address; nothing in {@link Mode#PREREQUISITE}. */
    void reserveIn(Construct scope) {
        for (WriterIp ip : addresses) {
            // A plain CfnResource: the pinned aws-cdk-lib predates its CfnSubnetCidrReservation class;
            // the CloudFormation type is the same.
            CfnResource reservation = CfnResource.Builder.create(scope, "WriterIpReservation-" + ip.logicalIdSuffix())
                    .type(RESOURCE_TYPE)
                    .properties(Map.of(
                            "SubnetId", ip.subnetId(),
                            "Cidr", ip.address() + "/32",
                            "ReservationType", "explicit",
                            "Description", "MHA Serverless writer IP: EC2 must not hand it out while it moves between masters"))
                    .build();
            Annotations.of(reservation).acknowledgeWarning("CloudFormation-Validate::F3006",
                    "AWS::EC2::SubnetCidrReservation is a CloudFormation type; only the schema bundled with this aws-cdk-lib predates it");
        }
    }
}
