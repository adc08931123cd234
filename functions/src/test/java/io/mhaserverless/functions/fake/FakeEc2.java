package io.mhaserverless.functions.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * EC2's network interfaces, as far as the writer IP needs them: ENIs attached to instances at a
 * device index, each with a primary and secondary private IPs. Speaks the EC2 query protocol
 * (API version 2016-11-15) with EC2's XML answers and error envelope.
 */
public final class FakeEc2 {

    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static final class Eni {
        final String id;
        final String subnetId;
        final String vpcId;
        final String primaryIp;
        final String instanceId;
        final int deviceIndex;
        final LinkedHashSet<String> secondary = new LinkedHashSet<>();

        Eni(String id, String subnetId, String vpcId, String primaryIp, String instanceId, int deviceIndex) {
            this.id = id;
            this.subnetId = subnetId;
            this.vpcId = vpcId;
            this.primaryIp = primaryIp;
            this.instanceId = instanceId;
            this.deviceIndex = deviceIndex;
        }

        Eni copy() {
            Eni c = new Eni(id, subnetId, vpcId, primaryIp, instanceId, deviceIndex);
            c.secondary.addAll(secondary);
            return c;
        }

        boolean holds(String ip) {
            return primaryIp.equals(ip) || secondary.contains(ip);
        }
    }

    private final Map<String, Eni> enis = new LinkedHashMap<>();
    /** Subnets declared with {@link #addSubnet}; any other is the /24 of its first ENI's primary IP. */
    private final Map<String, String> subnetCidrs = new LinkedHashMap<>();
    private int next = 1;
    /** What DescribeNetworkInterfaces shows while EC2 "has not caught up" (null: the truth). */
    private List<Eni> staleView;
    private int staleDescribes;

    /** An instance with its primary ENI (device index 0); returns the ENI id. */
    public synchronized String addInstance(String instanceId, String subnetId, String primaryIp) {
        return addEni(instanceId, 0, subnetId, primaryIp);
    }

    public synchronized String addEni(String instanceId, int deviceIndex, String subnetId, String primaryIp) {
        String id = String.format("eni-%017x", next++);
        enis.put(id, new Eni(id, subnetId, "vpc-0fake", primaryIp, instanceId, deviceIndex));
        return id;
    }

    /** Declares a subnet's IPv4 CIDR block, e.g. {@code addSubnet("subnet-b", "10.0.2.0/24")}. */
    public synchronized void addSubnet(String subnetId, String cidr) {
        subnetCidrs.put(subnetId, cidr);
    }

    /** The instance is gone, and its ENIs with it (DeleteOnTermination). */
    public synchronized void terminate(String instanceId) {
        enis.values().removeIf(e -> instanceId.equals(e.instanceId));
    }

    /** Seeds a secondary IP on the instance's primary ENI, as if assigned earlier. */
    public synchronized void assignSecondary(String instanceId, String ip) {
        primary(instanceId).orElseThrow(() -> new IllegalArgumentException("no primary ENI for " + instanceId)).secondary.add(ip);
    }

    /** The secondary IPs of the instance's primary ENI (empty when it has none or no longer exists). */
    public synchronized Set<String> secondaryIps(String instanceId) {
        return primary(instanceId).map(e -> Set.copyOf(e.secondary)).orElse(Set.of());
    }

    /** Which instances have an ENI holding {@code ip}. */
    public synchronized List<String> holders(String ip) {
        return enis.values().stream().filter(e -> e.holds(ip)).map(e -> e.instanceId).toList();
    }

    public synchronized String eniId(String instanceId) {
        return primary(instanceId).map(e -> e.id).orElse(null);
    }

    /** EC2 is eventually consistent: the next {@code n} DescribeNetworkInterfaces answer from the state as it is now. */
    public synchronized void hideChangesFromNextDescribes(int n) {
        staleView = enis.values().stream().map(Eni::copy).toList();
        staleDescribes = n;
    }

    synchronized Reply handle(AwsRequest r) {
        return switch (r.operation()) {
            case "DescribeNetworkInterfaces" -> describe(r);
            case "AssignPrivateIpAddresses" -> assign(r);
            case "UnassignPrivateIpAddresses" -> unassign(r);
            case "DescribeSubnets" -> describeSubnets(r);
            default -> throw AwsFault.badRequest("InvalidAction", "The action " + r.operation() + " is not valid for this web service.");
        };
    }

    private Reply describe(AwsRequest r) {
        List<Eni> view = enis.values().stream().toList();
        if (staleDescribes > 0) {
            staleDescribes--;
            view = staleView;
        }
        Predicate<Eni> match = e -> true;
        for (Map.Entry<String, List<String>> f : filters(r).entrySet()) {
            List<String> values = f.getValue();
            Predicate<Eni> one = switch (f.getKey()) {
                case "attachment.instance-id" -> e -> values.contains(e.instanceId);
                case "attachment.device-index" -> e -> values.contains(Integer.toString(e.deviceIndex));
                case "addresses.private-ip-address" -> e -> values.stream().anyMatch(e::holds);
                case "private-ip-address" -> e -> values.contains(e.primaryIp);
                case "subnet-id" -> e -> values.contains(e.subnetId);
                case "vpc-id" -> e -> values.contains(e.vpcId);
                case "network-interface-id" -> e -> values.contains(e.id);
                default -> throw AwsFault.badRequest("InvalidParameterValue", "The filter '" + f.getKey() + "' is invalid");
            };
            match = match.and(one);
        }
        List<String> ids = indexed(r, "NetworkInterfaceId");
        StringBuilder items = new StringBuilder();
        for (Eni e : view) {
            if (match.test(e) && (ids.isEmpty() || ids.contains(e.id))) {
                items.append(item(e));
            }
        }
        return Reply.xml("<DescribeNetworkInterfacesResponse xmlns=\"" + NS + "\"><requestId>" + Reply.requestId()
                + "</requestId><networkInterfaceSet>" + items + "</networkInterfaceSet></DescribeNetworkInterfacesResponse>");
    }

    private Reply describeSubnets(AwsRequest r) {
        StringBuilder items = new StringBuilder();
        for (String id : indexed(r, "SubnetId")) {
            String cidr = subnetCidrs.get(id);
            if (cidr == null) {
                cidr = enis.values().stream().filter(e -> e.subnetId.equals(id)).findFirst()
                        .map(e -> e.primaryIp.substring(0, e.primaryIp.lastIndexOf('.')) + ".0/24")
                        .orElseThrow(() -> AwsFault.badRequest("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist"));
            }
            items.append("<item><subnetId>").append(Reply.x(id)).append("</subnetId><state>available</state><vpcId>vpc-0fake</vpcId>")
                    .append("<cidrBlock>").append(Reply.x(cidr)).append("</cidrBlock><availabilityZone>us-east-1a</availabilityZone>")
                    .append("<availableIpAddressCount>250</availableIpAddressCount></item>");
        }
        return Reply.xml("<DescribeSubnetsResponse xmlns=\"" + NS + "\"><requestId>" + Reply.requestId()
                + "</requestId><subnetSet>" + items + "</subnetSet></DescribeSubnetsResponse>");
    }

    private Reply assign(AwsRequest r) {
        Eni eni = eni(r.param("NetworkInterfaceId"));
        List<String> ips = indexed(r, "PrivateIpAddress");
        if (ips.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "Either PrivateIpAddress or SecondaryPrivateIpAddressCount must be given");
        }
        boolean reassign = "true".equals(r.param("AllowReassignment"));
        for (String ip : ips) {
            for (Eni other : enis.values()) {
                if (other == eni) {
                    continue;
                }
                if (other.primaryIp.equals(ip)) {
                    throw AwsFault.badRequest("InvalidParameterValue", "Address " + ip + " is the primary address of " + other.id);
                }
                if (other.secondary.contains(ip) && !reassign) {
                    throw AwsFault.badRequest("PrivateIpAddressInUse", "Address " + ip + " is in use.");
                }
            }
        }
        for (String ip : ips) {
            enis.values().forEach(other -> other.secondary.remove(ip));
            eni.secondary.add(ip);
        }
        StringBuilder assigned = new StringBuilder();
        ips.forEach(ip -> assigned.append("<item><privateIpAddress>").append(Reply.x(ip)).append("</privateIpAddress></item>"));
        return Reply.xml("<AssignPrivateIpAddressesResponse xmlns=\"" + NS + "\"><requestId>" + Reply.requestId()
                + "</requestId><networkInterfaceId>" + eni.id + "</networkInterfaceId><assignedPrivateIpAddressesSet>"
                + assigned + "</assignedPrivateIpAddressesSet></AssignPrivateIpAddressesResponse>");
    }

    private Reply unassign(AwsRequest r) {
        Eni eni = eni(r.param("NetworkInterfaceId"));
        List<String> ips = indexed(r, "PrivateIpAddress");
        for (String ip : ips) {
            if (!eni.secondary.contains(ip)) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "Some of the specified addresses are not assigned to interface " + eni.id);
            }
        }
        ips.forEach(eni.secondary::remove);
        return Reply.xml("<UnassignPrivateIpAddressesResponse xmlns=\"" + NS + "\"><requestId>" + Reply.requestId()
                + "</requestId><return>true</return></UnassignPrivateIpAddressesResponse>");
    }

    private Eni eni(String id) {
        Eni eni = id == null ? null : enis.get(id);
        if (eni == null) {
            throw AwsFault.badRequest("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + id + "' does not exist");
        }
        return eni;
    }

    private Optional<Eni> primary(String instanceId) {
        return enis.values().stream().filter(e -> instanceId.equals(e.instanceId) && e.deviceIndex == 0).findFirst();
    }

    /** {@code Filter.1.Name=x&Filter.1.Value.1=y}: EC2's query serialization of a list of filters. */
    private static Map<String, List<String>> filters(AwsRequest r) {
        Map<String, List<String>> filters = new TreeMap<>();
        for (int i = 1; r.param("Filter." + i + ".Name") != null; i++) {
            filters.put(r.param("Filter." + i + ".Name"), indexed(r, "Filter." + i + ".Value"));
        }
        return filters;
    }

    private static List<String> indexed(AwsRequest r, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; r.param(prefix + "." + i) != null; i++) {
            values.add(r.param(prefix + "." + i));
        }
        return values;
    }

    private static String item(Eni e) {
        StringBuilder ips = new StringBuilder("<item><privateIpAddress>" + e.primaryIp + "</privateIpAddress><primary>true</primary></item>");
        e.secondary.forEach(ip -> ips.append("<item><privateIpAddress>").append(Reply.x(ip))
                .append("</privateIpAddress><primary>false</primary></item>"));
        return "<item><networkInterfaceId>" + e.id + "</networkInterfaceId><subnetId>" + Reply.x(e.subnetId)
                + "</subnetId><vpcId>" + e.vpcId + "</vpcId><availabilityZone>us-east-1a</availabilityZone>"
                + "<description/><ownerId>123456789012</ownerId><requesterManaged>false</requesterManaged>"
                + "<status>in-use</status><macAddress>02:00:00:00:00:01</macAddress><privateIpAddress>" + e.primaryIp
                + "</privateIpAddress><sourceDestCheck>true</sourceDestCheck><groupSet/>"
                + "<attachment><attachmentId>eni-attach-" + e.id.substring(4) + "</attachmentId><instanceId>" + Reply.x(e.instanceId)
                + "</instanceId><instanceOwnerId>123456789012</instanceOwnerId><deviceIndex>" + e.deviceIndex
                + "</deviceIndex><status>attached</status><deleteOnTermination>true</deleteOnTermination></attachment>"
                + "<privateIpAddressesSet>" + ips + "</privateIpAddressesSet><tagSet/><interfaceType>interface</interfaceType></item>";
    }
}
