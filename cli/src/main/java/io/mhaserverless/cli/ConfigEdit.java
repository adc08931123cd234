package io.mhaserverless.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * MHA's masterha_conf_host on our YAML: a server block added or removed, the result through the
 * loader's validation, and a check that the rewrite changed nothing else (a YAML round trip could,
 * e.g. {@code password: 0123} read as a number), so that nothing but the edit ever reaches the file.
 */
final class ConfigEdit {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private ConfigEdit() {
    }

    static String addServer(String text, String source, ServerConfig server) {
        ClusterConfig before = ConfigLoader.parseYaml(text, source);
        ObjectNode root = tree(text, source);
        ObjectNode s = ((ArrayNode) root.get("servers")).addObject();
        s.put("name", server.name()).put("host", server.host());
        if (server.port() != ServerConfig.DEFAULT_PORT) {
            s.put("port", server.port());
        }
        if (server.candidateMaster()) {
            s.put("candidateMaster", true);
        }
        if (server.noMaster()) {
            s.put("noMaster", true);
        }
        if (server.ignoreFail()) {
            s.put("ignoreFail", true);
        }
        server.instanceId().ifPresent(i -> s.put("instanceId", i));
        server.binlogDir().ifPresent(d -> s.put("binlogDir", d));
        String after = write(root);
        ClusterConfig edited = ConfigLoader.parseYaml(after, source + " with server " + server.name() + " added");
        List<ServerConfig> expected = new ArrayList<>(before.servers());
        expected.add(server);
        same(before, edited, expected, source);
        return after;
    }

    static String removeServer(String text, String source, String name) {
        ClusterConfig before = ConfigLoader.parseYaml(text, source);
        if (before.server(name).isEmpty()) {
            throw new ConfigException(source + ": no server '" + name + "' (servers: "
                    + String.join(", ", before.servers().stream().map(ServerConfig::name).toList()) + ")");
        }
        ObjectNode root = tree(text, source);
        ArrayNode servers = (ArrayNode) root.get("servers");
        for (int i = 0; i < servers.size(); i++) {
            if (name.equals(servers.get(i).path("name").asText())) {
                servers.remove(i);
                break;
            }
        }
        String after = write(root);
        ClusterConfig edited = ConfigLoader.parseYaml(after, source + " without server " + name);
        same(before, edited, before.servers().stream().filter(s -> !s.name().equals(name)).toList(), source);
        return after;
    }

    /** The config with every password shown as {@code ***}: what {@code mha config show} prints. */
    static String masked(String text, String source) {
        ConfigLoader.parseYaml(text, source);
        ObjectNode root = tree(text, source);
        for (String key : List.of("password", "replicationPassword")) {
            if (root.has(key)) {
                root.put(key, "***");
            }
        }
        return write(root);
    }

    private static void same(ClusterConfig before, ClusterConfig edited, List<ServerConfig> expectedServers, String source) {
        ClusterConfig expected = new ClusterConfig(before.cluster(), before.credentials(), before.replicationCredentials(),
                before.pingInterval(), before.pingType(), before.pingFailures(), before.connectTimeout(),
                before.secondsBehindMaster(), before.checkReplDelay(), before.checkReplDelayBytes(), before.checkReplFilter(),
                before.latestPriority(), before.multiTierSlave(), before.lastFailoverMinutes(), before.deadMasterGrace(),
                before.secondaryCheck(), before.writerIp(), before.tls(), expectedServers);
        if (!expected.equals(edited)) {
            throw new ConfigException(source + ": rewriting this config would change more than the edit (a value YAML reads "
                    + "differently than it is written, e.g. a number with a leading 0?): quote that value, or edit the file by hand");
        }
    }

    private static ObjectNode tree(String text, String source) {
        try {
            JsonNode node = YAML.readTree(text);
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String write(ObjectNode root) {
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
