package io.mhaserverless.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.constructs.Node;

/**
 * What a deployment chooses. The app reads it from CDK context ({@code -c key=value} or cdk.json);
 * tests build it directly, which is how they hand the stack a modified state machine definition.
 *
 * @param functionsJar           the shaded Lambda jar (functions/target/mha-functions-lambda.jar)
 * @param stateMachineDefinition the text of statemachine/asl.json, placeholders included
 * @param reportEmail            an address subscribed to the report topic, if any
 * @param network                the servers' VPC; empty only when asked for ({@link #WITHOUT_VPC}):
 *                               a function outside the VPC cannot reach private MySQL addresses
 * @param writerInterface        the host interface the writer IP is bound to (bind-ip --interface)
 * @param nodeAgentDocument      the SSM document's name; one per account and region
 * @param writerIpReservation    who reserves the writer IPs in their subnets
 * @param phaseConcurrency       the phase function's reserved concurrency
 * @param clusters               the clusters the dashboard shows and the per-cluster alarms watch
 */
public record MhaServerlessProps(Path functionsJar, String stateMachineDefinition, Optional<String> reportEmail,
                                 Optional<PrivateNetwork> network, String writerInterface, String nodeAgentDocument,
                                 WriterIpReservation writerIpReservation, int phaseConcurrency, List<String> clusters) {

    public static final String DEFAULT_WRITER_INTERFACE = "eth0";
    public static final String DEFAULT_NODE_AGENT_DOCUMENT = "MhaNodeAgent";
    /**
     * A failover takes one invocation per phase, and one per replica while a Map runs (unbounded
     * MaxConcurrency): twenty covers two clusters of nine replicas failing over at once, and stays
     * far below the account's default 1000 (Lambda keeps 100 unreserved).
     */
    public static final int DEFAULT_PHASE_CONCURRENCY = 20;

    /** Context keys, as documented in infra/cdk/README.md. */
    static final String REPORT_EMAIL = "reportEmail";
    static final String VPC_ID = "vpcId";
    static final String SUBNET_IDS = "subnetIds";
    static final String SECURITY_GROUP_ID = "securityGroupId";
    static final String WITHOUT_VPC = "withoutVpc";
    static final String VPC_ENDPOINTS = "vpcEndpoints";
    static final String ROUTE_TABLE_IDS = "routeTableIds";
    static final String WRITER_INTERFACE = "writerInterface";
    static final String NODE_AGENT_DOCUMENT = "nodeAgentDocument";
    static final String WRITER_IPS = "writerIps";
    static final String WRITER_IP_RESERVATION = "writerIpReservation";
    static final String PHASE_CONCURRENCY = "phaseFunctionConcurrency";
    static final String CLUSTERS = "mhaClusters";
    /** The rule of core's Names: a cluster name is a CloudWatch dimension value and part of alarm names. */
    private static final java.util.regex.Pattern CLUSTER_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Every key {@link #fromContext} reads: the deploy guide documents exactly these. */
    static final Set<String> CONTEXT_KEYS = Set.of(REPORT_EMAIL, VPC_ID, SUBNET_IDS, SECURITY_GROUP_ID, WITHOUT_VPC, VPC_ENDPOINTS,
            ROUTE_TABLE_IDS, WRITER_INTERFACE, NODE_AGENT_DOCUMENT, WRITER_IPS, WRITER_IP_RESERVATION, PHASE_CONCURRENCY, CLUSTERS);

    public MhaServerlessProps {
        if (phaseConcurrency < 1) {
            throw new IllegalArgumentException("context " + PHASE_CONCURRENCY + " must be at least 1, got " + phaseConcurrency);
        }
        clusters = List.copyOf(clusters);
        for (String c : clusters) {
            if (!CLUSTER_NAME.matcher(c).matches()) {
                throw new IllegalArgumentException("context " + CLUSTERS + ": '" + c + "' is not a cluster name (letters, digits, "
                        + "'.', '_', '-', starting with a letter or digit; at most 64)");
            }
        }
        if (new java.util.HashSet<>(clusters).size() != clusters.size()) {
            throw new IllegalArgumentException("context " + CLUSTERS + " names a cluster twice: " + clusters);
        }
    }

    /** The defaults, without a VPC: what tests synthesize. */
    public static MhaServerlessProps of(Path functionsJar, String stateMachineDefinition) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, Optional.empty(), Optional.empty(),
                DEFAULT_WRITER_INTERFACE, DEFAULT_NODE_AGENT_DOCUMENT, WriterIpReservation.none(), DEFAULT_PHASE_CONCURRENCY, List.of());
    }

    public MhaServerlessProps withNetwork(PrivateNetwork network) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, reportEmail, Optional.of(network),
                writerInterface, nodeAgentDocument, writerIpReservation, phaseConcurrency, clusters);
    }

    public MhaServerlessProps withReportEmail(String email) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, Optional.of(email), network,
                writerInterface, nodeAgentDocument, writerIpReservation, phaseConcurrency, clusters);
    }

    public MhaServerlessProps withWriterIpReservation(WriterIpReservation reservation) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, reportEmail, network,
                writerInterface, nodeAgentDocument, reservation, phaseConcurrency, clusters);
    }

    static MhaServerlessProps fromContext(Node context, RepoLayout repo) {
        return fromContext(context, repo.functionsJar(), repo.stateMachineDefinition());
    }

    static MhaServerlessProps fromContext(Node context, Path functionsJar, String stateMachineDefinition) {
        Optional<PrivateNetwork> network = network(context);
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, text(context, REPORT_EMAIL), network,
                text(context, WRITER_INTERFACE).orElse(DEFAULT_WRITER_INTERFACE),
                text(context, NODE_AGENT_DOCUMENT).orElse(DEFAULT_NODE_AGENT_DOCUMENT),
                writerIpReservation(context, network.isPresent()),
                integer(context, PHASE_CONCURRENCY).orElse(DEFAULT_PHASE_CONCURRENCY),
                list(context, CLUSTERS));
    }

    public MhaServerlessProps withClusters(List<String> names) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, reportEmail, network,
                writerInterface, nodeAgentDocument, writerIpReservation, phaseConcurrency, names);
    }

    private static Optional<PrivateNetwork> network(Node context) {
        Optional<String> vpcId = text(context, VPC_ID);
        List<String> subnetIds = list(context, SUBNET_IDS);
        Optional<String> securityGroupId = text(context, SECURITY_GROUP_ID);
        boolean withoutVpc = flag(context, WITHOUT_VPC);
        if (vpcId.isEmpty() && subnetIds.isEmpty() && securityGroupId.isEmpty()) {
            if (!withoutVpc) {
                throw new IllegalArgumentException("no VPC: set context " + VPC_ID + ", " + SUBNET_IDS + " and " + SECURITY_GROUP_ID
                        + " (the functions must reach the MySQL servers' private addresses), or -c " + WITHOUT_VPC
                        + "=true for a stack that cannot fail anything over (a synth to look at)");
            }
            if (!list(context, VPC_ENDPOINTS).isEmpty() || !list(context, ROUTE_TABLE_IDS).isEmpty()) {
                throw new IllegalArgumentException("context " + VPC_ENDPOINTS + " and " + ROUTE_TABLE_IDS + " need a VPC ("
                        + VPC_ID + ", " + SUBNET_IDS + ", " + SECURITY_GROUP_ID + ")");
            }
            return Optional.empty();
        }
        if (withoutVpc) {
            throw new IllegalArgumentException("context " + WITHOUT_VPC + "=true contradicts " + VPC_ID + ", " + SUBNET_IDS
                    + " and " + SECURITY_GROUP_ID + ": give one or the other");
        }
        if (vpcId.isEmpty() || subnetIds.isEmpty() || securityGroupId.isEmpty()) {
            throw new IllegalArgumentException("context " + VPC_ID + ", " + SUBNET_IDS + " and " + SECURITY_GROUP_ID
                    + " go together; got " + VPC_ID + "=" + vpcId.orElse("") + " " + SUBNET_IDS + "=" + subnetIds
                    + " " + SECURITY_GROUP_ID + "=" + securityGroupId.orElse(""));
        }
        List<String> endpoints = list(context, VPC_ENDPOINTS);
        Set<String> services = endpoints.equals(List.of("all")) ? PrivateNetwork.ENDPOINT_SERVICES : Set.copyOf(endpoints);
        return Optional.of(new PrivateNetwork(vpcId.get(), subnetIds, securityGroupId.get(), services,
                list(context, ROUTE_TABLE_IDS)));
    }

    /**
     * In a VPC the choice is required: by the stack (writerIps) or made beforehand
     * (writerIpReservation=prerequisite); a forgotten reservation is a failover that may find its
     * address taken.
     */
    private static WriterIpReservation writerIpReservation(Node context, boolean inVpc) {
        List<WriterIpReservation.WriterIp> addresses = list(context, WRITER_IPS).stream()
                .map(WriterIpReservation.WriterIp::parse).toList();
        String mode = text(context, WRITER_IP_RESERVATION).orElse("stack");
        switch (mode) {
            case "prerequisite" -> {
                return new WriterIpReservation(WriterIpReservation.Mode.PREREQUISITE, addresses);
            }
            case "stack" -> {
                if (addresses.isEmpty() && inVpc) {
                    throw new IllegalArgumentException("no writer IP to reserve: give context " + WRITER_IPS
                            + "=<subnetId>=<address>[,…] for the stack to reserve each writer IP in its subnet, or -c "
                            + WRITER_IP_RESERVATION + "=prerequisite if you reserved them yourself (infra/cdk/README.md)");
                }
                return WriterIpReservation.byStack(addresses);
            }
            default -> throw new IllegalArgumentException("context " + WRITER_IP_RESERVATION + " is \"" + mode
                    + "\"; it is stack (the default) or prerequisite");
        }
    }

    private static Optional<String> text(Node context, String key) {
        Object value = context.tryGetContext(key);
        return value == null ? Optional.empty() : Optional.of(value.toString().strip()).filter(s -> !s.isEmpty());
    }

    /** true / false only: a typo must not turn a safety check off. */
    private static boolean flag(Node context, String key) {
        Optional<String> value = text(context, key);
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw new IllegalArgumentException("context " + key + " is \"" + value.get() + "\"; it is true or false");
    }

    private static Optional<Integer> integer(Node context, String key) {
        Optional<String> value = text(context, key);
        try {
            return value.map(Integer::valueOf);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " is \"" + value.get() + "\", not a whole number");
        }
    }

    /** A JSON list in cdk.json, or "a,b" from {@code -c subnetIds=a,b}. */
    private static List<String> list(Node context, String key) {
        Object value = context.tryGetContext(key);
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> given) {
            given.forEach(item -> items.add(String.valueOf(item).strip()));
        } else if (value != null) {
            items.addAll(Arrays.asList(value.toString().split(",")));
            items.replaceAll(String::strip);
        }
        items.removeIf(String::isEmpty);
        return items;
    }
}
