package io.mhaserverless.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.constructs.Node;

/**
 * What a deployment chooses. The app reads it from CDK context ({@code -c key=value} or cdk.json);
 * tests build it directly, which is how they hand the stack a modified state machine definition.
 *
 * @param functionsJar           the shaded Lambda jar (functions/target/mha-functions-lambda.jar)
 * @param stateMachineDefinition the text of statemachine/asl.json, placeholders included
 * @param reportEmail            an address subscribed to the report topic, if any
 * @param network                the servers' VPC; empty only for synth in tests: a function outside
 *                               the VPC cannot reach private MySQL addresses
 * @param writerInterface        the host interface the writer IP is bound to (bind-ip --interface)
 * @param nodeAgentDocument      the SSM document's name; one per account and region
 */
public record MhaServerlessProps(Path functionsJar, String stateMachineDefinition, Optional<String> reportEmail,
                                 Optional<PrivateNetwork> network, String writerInterface, String nodeAgentDocument) {

    public static final String DEFAULT_WRITER_INTERFACE = "eth0";
    public static final String DEFAULT_NODE_AGENT_DOCUMENT = "MhaNodeAgent";

    /** Context keys, as documented in infra/cdk/README.md. */
    static final String REPORT_EMAIL = "reportEmail";
    static final String VPC_ID = "vpcId";
    static final String SUBNET_IDS = "subnetIds";
    static final String SECURITY_GROUP_ID = "securityGroupId";
    static final String WRITER_INTERFACE = "writerInterface";
    static final String NODE_AGENT_DOCUMENT = "nodeAgentDocument";

    /** The defaults, without a VPC: what tests synthesize. */
    public static MhaServerlessProps of(Path functionsJar, String stateMachineDefinition) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, Optional.empty(), Optional.empty(),
                DEFAULT_WRITER_INTERFACE, DEFAULT_NODE_AGENT_DOCUMENT);
    }

    public MhaServerlessProps withNetwork(PrivateNetwork network) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, reportEmail, Optional.of(network),
                writerInterface, nodeAgentDocument);
    }

    public MhaServerlessProps withReportEmail(String email) {
        return new MhaServerlessProps(functionsJar, stateMachineDefinition, Optional.of(email), network,
                writerInterface, nodeAgentDocument);
    }

    static MhaServerlessProps fromContext(Node context, RepoLayout repo) {
        Optional<String> vpcId = text(context, VPC_ID);
        List<String> subnetIds = list(context, SUBNET_IDS);
        Optional<String> securityGroupId = text(context, SECURITY_GROUP_ID);
        Optional<PrivateNetwork> network = Optional.empty();
        if (vpcId.isPresent() || !subnetIds.isEmpty() || securityGroupId.isPresent()) {
            if (vpcId.isEmpty() || subnetIds.isEmpty() || securityGroupId.isEmpty()) {
                throw new IllegalArgumentException("context " + VPC_ID + ", " + SUBNET_IDS + " and " + SECURITY_GROUP_ID
                        + " go together; got " + VPC_ID + "=" + vpcId.orElse("") + " " + SUBNET_IDS + "=" + subnetIds
                        + " " + SECURITY_GROUP_ID + "=" + securityGroupId.orElse(""));
            }
            network = Optional.of(new PrivateNetwork(vpcId.get(), subnetIds, securityGroupId.get()));
        }
        return new MhaServerlessProps(repo.functionsJar(), repo.stateMachineDefinition(), text(context, REPORT_EMAIL), network,
                text(context, WRITER_INTERFACE).orElse(DEFAULT_WRITER_INTERFACE),
                text(context, NODE_AGENT_DOCUMENT).orElse(DEFAULT_NODE_AGENT_DOCUMENT));
    }

    private static Optional<String> text(Node context, String key) {
        Object value = context.tryGetContext(key);
        return value == null ? Optional.empty() : Optional.of(value.toString().strip()).filter(s -> !s.isEmpty());
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
