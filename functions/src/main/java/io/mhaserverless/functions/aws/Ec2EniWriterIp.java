package io.mhaserverless.functions.aws;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.WriterIpConfig;
import io.mhaserverless.core.port.WriterIp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * {@link WriterIp} as a secondary private IP on the primary ENI (device index 0) of the master's
 * instance: clients connect to one address, and a failover moves it with
 * AssignPrivateIpAddresses(AllowReassignment). The address stays within its subnet, so all servers
 * that may become master must share it (cross-AZ needs a route-table overlay IP: a later adapter).
 *
 * <p>Both calls are idempotent. {@code release} only unassigns when the old master's ENI holds the
 * address, and an instance that no longer exists holds nothing. {@code assign} then verifies what
 * EC2 reports (its API is eventually consistent) before the host binds the address: the new ENI
 * holds it and no other ENI in the subnet does.
 */
public final class Ec2EniWriterIp implements WriterIp {

    public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);
    private static final String SERVICE = "EC2";

    private final Ec2Client ec2;
    private final String address;
    private final HostIpBinding host;
    private final Duration verifyTimeout;
    /** A subnet's IPv4 CIDR never changes, and replicas mostly share a subnet: one DescribeSubnets each. */
    private final java.util.Map<String, String> subnetCidrs = new java.util.concurrent.ConcurrentHashMap<>();

    public Ec2EniWriterIp(Ec2Client ec2, String address, HostIpBinding host, Duration verifyTimeout) {
        this.ec2 = ec2;
        this.address = address;
        this.host = host;
        this.verifyTimeout = verifyTimeout;
    }

    /** From the cluster config's {@code writerIp: {mode: eni, address: …}}. */
    public static Ec2EniWriterIp of(WriterIpConfig config, Ec2Client ec2, HostIpBinding host) {
        if (config.mode() != WriterIpConfig.Mode.ENI || config.address().isEmpty()) {
            throw new FatalFailure("writerIp must be {mode: eni, address: …} for the ENI writer IP, not " + config);
        }
        return new Ec2EniWriterIp(ec2, config.address().get(), host, DEFAULT_VERIFY_TIMEOUT);
    }

    @Override
    public void release(ServerConfig oldMaster) {
        String instanceId = instanceId(oldMaster);
        Optional<NetworkInterface> eni = primaryEni(instanceId);
        if (eni.isPresent() && holds(eni.get(), address)) {
            String eniId = eni.get().networkInterfaceId();
            try {
                ec2.unassignPrivateIpAddresses(r -> r.networkInterfaceId(eniId).privateIpAddresses(address));
            } catch (SdkException e) {
                // Moved away meanwhile (another step's assign): what release wanted.
                if (primaryEni(instanceId).map(now -> holds(now, address)).orElse(false)) {
                    throw AwsErrors.map(SERVICE, "UnassignPrivateIpAddresses", e);
                }
            }
        }
    }

    /** unbind-ip on the old master's host, best effort ({@link HostIpBinding#unbind}). */
    @Override
    public void clearOldHost(ServerConfig oldMaster) {
        host.unbind(oldMaster, address);
    }

    @Override
    public void assign(ServerConfig newMaster) {
        String instanceId = instanceId(newMaster);
        NetworkInterface eni = primaryEni(instanceId).orElseThrow(() -> new FatalFailure(
                "writer IP " + address + ": instance " + instanceId + " of " + newMaster.label()
                        + " has no network interface at device index 0 (terminated?)"));
        // The host's side (bind-ip through SSM: the address on its interface, then confirmed in its
        // instance metadata) and EC2's (assign, then until this ENI alone holds it) are each a second
        // or so: started together, they meet at the end. An address on an interface that EC2 does
        // not route to yet receives nothing, so the host may go first.
        ExecutorService hostSide = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "writer-ip-bind");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> bound = hostSide.submit(() -> host.bind(newMaster, address));
            if (!holds(eni, address)) {
                // AllowReassignment takes the address from whichever ENI still has it (a dead master
                // that release could not reach), in one call.
                AwsErrors.call(SERVICE, "AssignPrivateIpAddresses", () -> ec2.assignPrivateIpAddresses(r -> r
                        .networkInterfaceId(eni.networkInterfaceId())
                        .privateIpAddresses(address)
                        .allowReassignment(true)));
            }
            awaitOnlyHolder(eni, newMaster);
            awaitHostSide(bound);
        } finally {
            hostSide.shutdownNow();
        }
    }

    private static void awaitHostSide(Future<?> bound) {
        try {
            bound.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableFailure("interrupted while the new master's host bound the writer IP");
        }
    }

    /**
     * A secondary IP must lie in the subnet of the ENI it goes to: AssignPrivateIpAddresses refuses
     * any other, which after the fence would leave the cluster with no writer address at all.
     */
    @Override
    public Optional<String> cannotTake(ServerConfig server) {
        Optional<String> instanceId = server.instanceId().filter(id -> !id.isBlank());
        if (instanceId.isEmpty()) {
            return Optional.of("it has no instanceId, so its network interface cannot be found");
        }
        Optional<NetworkInterface> eni = primaryEni(instanceId.get());
        if (eni.isEmpty()) {
            return Optional.of("instance " + instanceId.get() + " has no network interface at device index 0 (terminated?)");
        }
        String subnetId = eni.get().subnetId();
        String cidr = subnetCidrs.computeIfAbsent(subnetId, id -> AwsErrors.call(SERVICE, "DescribeSubnets",
                () -> ec2.describeSubnets(r -> r.subnetIds(id)).subnets()).stream().findFirst().map(Subnet::cidrBlock).orElse(null));
        if (cidr == null) {
            return Optional.of("EC2 does not describe subnet " + subnetId + " of its interface " + eni.get().networkInterfaceId());
        }
        if (!Cidr.parse(cidr).contains(address)) {
            return Optional.of("its interface " + eni.get().networkInterfaceId() + " is in subnet " + subnetId + " (" + cidr
                    + "), which does not contain the writer IP " + address);
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "ENI secondary IP " + address;
    }

    /** Polls until {@code eni} is the one ENI of its subnet that holds the address, or the deadline passes. */
    private void awaitOnlyHolder(NetworkInterface eni, ServerConfig newMaster) {
        long deadline = System.nanoTime() + verifyTimeout.toNanos();
        Duration pause = FIRST_POLL;
        List<String> holders;
        while (true) {
            holders = holders(eni.subnetId());
            if (holders.equals(List.of(eni.networkInterfaceId()))) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            sleep(Math.min(pause.toNanos(), left));
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
        throw new RetryableFailure("writer IP " + address + " is not (only) on " + eni.networkInterfaceId() + " of "
                + newMaster.label() + " after " + verifyTimeout.toMillis() + " ms; EC2 reports it on " + holders);
    }

    private List<String> holders(String subnetId) {
        return AwsErrors.call(SERVICE, "DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfacesPaginator(r -> r
                        .filters(filter("addresses.private-ip-address", address), filter("subnet-id", subnetId)))
                .networkInterfaces().stream()
                .filter(n -> holds(n, address))
                .map(NetworkInterface::networkInterfaceId)
                .sorted()
                .toList());
    }

    private Optional<NetworkInterface> primaryEni(String instanceId) {
        List<NetworkInterface> found = AwsErrors.call(SERVICE, "DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces(r -> r
                .filters(filter("attachment.instance-id", instanceId), filter("attachment.device-index", "0")))
                .networkInterfaces());
        return found.stream().findFirst();
    }

    private static boolean holds(NetworkInterface eni, String address) {
        return eni.privateIpAddresses().stream().anyMatch(a -> address.equals(a.privateIpAddress()));
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static String instanceId(ServerConfig server) {
        return server.instanceId().filter(id -> !id.isBlank()).orElseThrow(() -> new FatalFailure(
                "server " + server.label() + " has no instanceId: the ENI writer IP needs the EC2 instance of every server"));
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableFailure("interrupted while waiting for the writer IP to settle");
        }
    }
}
