package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** What infra/cdk/README.md (the deploy guide) promises about the app's context values. */
class DeployGuideTest {

    private static final Path GUIDE = TestStacks.REPO.root().resolve("infra/cdk/README.md");
    private static final Map<String, Object> IN_VPC = Map.of(
            "vpcId", "vpc-0a1b2c3d4e5f60718",
            "subnetIds", "subnet-0a1b2c3d4e5f60718,subnet-0b1b2c3d4e5f60718",
            "securityGroupId", "sg-0a1b2c3d4e5f60718",
            "writerIps", "subnet-0a1b2c3d4e5f60718=10.0.1.50");
    /** A value per key that the app must react to, starting from {@link #IN_VPC}. */
    private static final Map<String, Object> CHANGED = Map.ofEntries(
            Map.entry("reportEmail", "dba@example.com"),
            Map.entry("vpcId", "vpc-0f1b2c3d4e5f60718"),
            Map.entry("subnetIds", "subnet-0a1b2c3d4e5f60718"),
            Map.entry("securityGroupId", "sg-0f1b2c3d4e5f60718"),
            Map.entry("withoutVpc", "true"),
            Map.entry("vpcEndpoints", "all"),
            Map.entry("routeTableIds", "rtb-0a1b2c3d4e5f60718"),
            Map.entry("writerInterface", "ens5"),
            Map.entry("nodeAgentDocument", "MhaNodeAgentTest"),
            Map.entry("writerIps", "subnet-0a1b2c3d4e5f60718=10.0.1.51"),
            Map.entry("writerIpReservation", "prerequisite"),
            Map.entry("phaseFunctionConcurrency", "5"),
            Map.entry("mhaClusters", "app1,app2"));

    @Test
    void theGuideDocumentsExactlyTheContextKeysTheAppReads() throws IOException {
        assertThat(guideContextKeys()).isEqualTo(new TreeSet<>(MhaServerlessProps.CONTEXT_KEYS));
        assertThat(CHANGED.keySet()).isEqualTo(MhaServerlessProps.CONTEXT_KEYS);
    }

    @Test
    void everyDocumentedKeyChangesWhatTheAppBuilds() {
        String base = outcome(IN_VPC);
        assertThat(base).startsWith("MhaServerlessProps[");
        CHANGED.forEach((key, value) -> {
            Map<String, Object> context = new HashMap<>(IN_VPC);
            context.put(key, value);
            assertThat(outcome(context)).as(key + "=" + value).isNotEqualTo(base);
        });
    }

    @Test
    void cdkJsonSetsOnlyKeysTheAppReads() throws IOException {
        Map<?, ?> cdkJson = new ObjectMapper().readValue(TestStacks.REPO.root().resolve("infra/cdk/cdk.json").toFile(), Map.class);
        Map<?, ?> context = (Map<?, ?>) cdkJson.get("context");
        assertThat(MhaServerlessProps.CONTEXT_KEYS).containsAll(context.keySet().stream().map(String::valueOf).toList());
    }

    @Test
    void noVpcIsRefusedUnlessAskedFor() {
        assertThatThrownBy(() -> props(Map.of()))
                .hasMessageContaining("vpcId").hasMessageContaining("subnetIds").hasMessageContaining("securityGroupId")
                .hasMessageContaining("withoutVpc=true");
        assertThat(props(Map.of("withoutVpc", "true")).network()).isEmpty();
        assertThatThrownBy(() -> props(Map.of("withoutVpc", "yes"))).hasMessageContaining("withoutVpc");
        assertThatThrownBy(() -> props(Map.of("withoutVpc", "true", "vpcEndpoints", "all"))).hasMessageContaining("vpcEndpoints");
    }

    @Test
    void aVpcStackSaysWhoReservesTheWriterIp() {
        Map<String, Object> noWriterIp = new HashMap<>(IN_VPC);
        noWriterIp.remove("writerIps");
        assertThatThrownBy(() -> props(noWriterIp))
                .hasMessageContaining("writerIps").hasMessageContaining("writerIpReservation=prerequisite");
        noWriterIp.put("writerIpReservation", "prerequisite");
        assertThat(props(noWriterIp).writerIpReservation().mode()).isEqualTo(WriterIpReservation.Mode.PREREQUISITE);
        noWriterIp.put("writerIpReservation", "later");
        assertThatThrownBy(() -> props(noWriterIp)).hasMessageContaining("writerIpReservation");
        assertThat(props(IN_VPC).writerIpReservation().addresses())
                .containsExactly(new WriterIpReservation.WriterIp("subnet-0a1b2c3d4e5f60718", "10.0.1.50"));
    }

    @Test
    void vpcEndpointsAllMeansEveryServiceAndNeedsTheRouteTables() {
        Map<String, Object> context = new HashMap<>(IN_VPC);
        context.put("vpcEndpoints", "all");
        assertThatThrownBy(() -> props(context)).hasMessageContaining("routeTableIds");
        context.put("routeTableIds", "rtb-0a1b2c3d4e5f60718");
        PrivateNetwork network = props(context).network().orElseThrow();
        assertThat(network.endpoints()).isEqualTo(PrivateNetwork.ENDPOINT_SERVICES);
        assertThat(network.routeTableIds()).containsExactly("rtb-0a1b2c3d4e5f60718");
    }

    /** The props' text, or the refusal's message: either shows that a key was read. */
    private static String outcome(Map<String, Object> context) {
        try {
            return props(context).toString();
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static MhaServerlessProps props(Map<String, Object> context) {
        App app = App.Builder.create().context(context).build();
        return MhaServerlessProps.fromContext(app.getNode(), Path.of("mha-functions-lambda.jar"), "{}");
    }

    /** The backticked names in the first column of the guide's "Context values" table. */
    private static Set<String> guideContextKeys() throws IOException {
        String guide = Files.readString(GUIDE);
        int start = guide.indexOf("### Context values");
        assertThat(start).as("the guide's Context values section").isNotNegative();
        Set<String> keys = new TreeSet<>();
        Pattern name = Pattern.compile("`([A-Za-z]+)`");
        for (String line : guide.substring(start).lines().skip(1).toList()) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                Matcher m = name.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

}
