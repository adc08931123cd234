package io.mhaserverless.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cluster config (YAML, or JSON for {@code .json} files) into a validated {@link ClusterConfig}.
 * Every error names the source, the line and the key: {@code app1.yaml:7: servers[1].prot: unknown key}.
 */
public final class ConfigLoader {

    /** MHA's defaults where MHA had one (Config.pm); ours where it had none. */
    static final String DEFAULT_USER = "root";
    static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(3);
    static final int DEFAULT_PING_FAILURES = 4;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final long DEFAULT_SECONDS_BEHIND_MASTER = 30;
    static final long DEFAULT_LAST_FAILOVER_MINUTES = 480;
    static final long DEFAULT_CHECK_REPL_DELAY_BYTES = 100_000_000;

    private static final Set<String> CLUSTER_KEYS = Set.of("cluster", "user", "password", "credentialsSecret",
            "replicationUser", "replicationPassword", "replicationCredentialsSecret", "pingInterval", "pingType", "pingFailures", "connectTimeout",
            "secondsBehindMaster", "checkReplDelay", "checkReplDelayBytes", "checkReplFilter", "latestPriority", "multiTierSlave",
            "lastFailoverMinutes", "deadMasterGrace", "secondaryCheck", "writerIp", "tls", "servers");
    private static final Set<String> SERVER_KEYS = Set.of("name", "host", "port", "candidateMaster", "noMaster",
            "ignoreFail", "instanceId", "binlogDir");
    private static final Set<String> WRITER_IP_KEYS = Set.of("mode", "address");
    private static final Set<String> TLS_KEYS = Set.of("mode", "ca");
    /** A DNS name, an IPv4 address or an IPv6 address (with its zone). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
    /** At most 9 digits: no overflow, and nobody pings once in 30 years. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private ConfigLoader() {
    }

    public static ClusterConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), file.toString().toLowerCase(Locale.ROOT).endsWith(".json"));
    }

    public static ClusterConfig parseYaml(String text, String source) {
        return parse(text, source, false);
    }

    static ClusterConfig parse(String text, String source, boolean json) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        SourceLines lines;
        try {
            root = new ObjectMapper(factory).readTree(text);
            lines = SourceLines.index(factory, text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            String message = e.getOriginalMessage();
            // STRICT_DUPLICATE_DETECTION says "Duplicate field 'port'": name the whole key path instead
            if (message != null && message.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser p) {
                throw new ConfigException(source + ":" + line + ": "
                        + Reader.key(p.getParsingContext().pathAsPointer().toString()) + ": duplicate key");
            }
            throw new ConfigException(source + ":" + line + ": " + message);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
        return new Reader(source, lines).cluster(root);
    }

    /** Walks the tree with the pointer of every node in hand, so that each complaint can say where. */
    private static final class Reader {
        private final String source;
        private final SourceLines lines;

        Reader(String source, SourceLines lines) {
            this.source = source;
            this.lines = lines;
        }

        ClusterConfig cluster(JsonNode root) {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(source + ":1: the config is empty");
            }
            object(root, "", "the config");
            knownKeys(root, "", CLUSTER_KEYS);
            String cluster = requiredName(root, "", "cluster");
            String user = optionalText(root, "", "user").orElse(DEFAULT_USER);
            Optional<String> password = optionalText(root, "", "password");
            Optional<String> secret = optionalText(root, "", "credentialsSecret");
            if (password.isPresent() && secret.isPresent()) {
                throw error("/credentialsSecret", "credentialsSecret", "give either password or credentialsSecret, not both");
            }
            Optional<String> replUser = optionalText(root, "", "replicationUser");
            Optional<String> replPassword = optionalText(root, "", "replicationPassword");
            if (replPassword.isPresent() && replUser.isEmpty()) {
                throw error("/replicationPassword", "replicationPassword", "replicationUser is missing");
            }
            Optional<String> replSecret = optionalText(root, "", "replicationCredentialsSecret");
            if (replSecret.isPresent() && replPassword.isPresent()) {
                throw error("/replicationCredentialsSecret", "replicationCredentialsSecret",
                        "give either replicationPassword or replicationCredentialsSecret, not both");
            }
            if (replSecret.isPresent() && replUser.isEmpty()) {
                throw error("/replicationCredentialsSecret", "replicationCredentialsSecret", "replicationUser is missing");
            }
            Optional<Credentials> replication = replUser.map(u -> new Credentials(u, replPassword, replSecret));

            JsonNode serversNode = root.get("servers");
            if (serversNode == null) {
                throw error("", "servers", "missing: a cluster needs at least 2 servers");
            }
            if (!serversNode.isArray()) {
                throw error("/servers", "servers", "must be a list of servers");
            }
            List<ServerConfig> servers = new ArrayList<>();
            Map<String, String> nameAt = new HashMap<>();            // server name -> pointer of its name
            Map<String, Seen> addressAt = new HashMap<>();           // host:port -> the first server there
            for (int i = 0; i < serversNode.size(); i++) {
                String at = "/servers/" + i;
                ServerConfig server = server(serversNode.get(i), at);
                String firstName = nameAt.putIfAbsent(server.name(), at + "/name");
                if (firstName != null) {
                    throw error(at + "/name", key(at + "/name"), "duplicate server name '" + server.name()
                            + "' (first at line " + lines.lineOf(firstName) + ")");
                }
                Seen first = addressAt.putIfAbsent(server.address(), new Seen(server.name(), at + "/host"));
                if (first != null) {
                    throw error(at + "/host", key(at + "/host"), "servers '" + first.name() + "' (line "
                            + lines.lineOf(first.pointer()) + ") and '" + server.name() + "' have the same host:port "
                            + server.address());
                }
                servers.add(server);
            }
            if (servers.size() < 2) {
                throw error("/servers", "servers", "a cluster needs at least 2 servers, found " + servers.size());
            }

            return new ClusterConfig(
                    cluster,
                    new Credentials(user, password, secret),
                    replication,
                    duration(root, "", "pingInterval", DEFAULT_PING_INTERVAL),
                    pingType(root),
                    pingFailures(root),
                    duration(root, "", "connectTimeout", DEFAULT_CONNECT_TIMEOUT),
                    nonNegativeLong(root, "", "secondsBehindMaster", DEFAULT_SECONDS_BEHIND_MASTER),
                    bool(root, "", "checkReplDelay", true),
                    positiveLong(root, "", "checkReplDelayBytes", DEFAULT_CHECK_REPL_DELAY_BYTES),
                    bool(root, "", "checkReplFilter", true),
                    bool(root, "", "latestPriority", true),
                    bool(root, "", "multiTierSlave", false),
                    nonNegativeLong(root, "", "lastFailoverMinutes", DEFAULT_LAST_FAILOVER_MINUTES),
                    deadMasterGrace(root),
                    bool(root, "", "secondaryCheck", false),
                    writerIp(root.get("writerIp")),
                    tls(root.get("tls")),
                    servers);
        }

        private record Seen(String name, String pointer) {
        }

        private ServerConfig server(JsonNode node, String at) {
            object(node, at, key(at));
            knownKeys(node, at, SERVER_KEYS);
            String name = requiredName(node, at, "name");
            String host = optionalText(node, at, "host")
                    .orElseThrow(() -> error(at, key(at) + ".host", "missing (server '" + name + "')"));
            // also what the JDBC URL would misread: ',' lists failover hosts, '/', '?', '(' end or extend the address
            if (!HOST.matcher(host).matches()) {
                throw error(at + "/host", key(at + "/host"), "not a host name or IP address: '" + host + "'");
            }
            long port = positiveLong(node, at, "port", ServerConfig.DEFAULT_PORT);
            if (port > 65535) {
                throw error(at + "/port", key(at + "/port"), "not a TCP port: " + port);
            }
            boolean candidate = bool(node, at, "candidateMaster", false);
            boolean noMaster = bool(node, at, "noMaster", false);
            if (candidate && noMaster) {
                throw error(at + "/noMaster", key(at + "/noMaster"),
                        "server '" + name + "' cannot be both candidateMaster and noMaster");
            }
            return new ServerConfig(name, host, (int) port, candidate, noMaster, bool(node, at, "ignoreFail", false),
                    optionalText(node, at, "instanceId"), optionalText(node, at, "binlogDir"));
        }

        private WriterIpConfig writerIp(JsonNode node) {
            if (node == null || node.isNull()) {
                return WriterIpConfig.none();
            }
            String at = "/writerIp";
            object(node, at, "writerIp");
            knownKeys(node, at, WRITER_IP_KEYS);
            String mode = optionalText(node, at, "mode").orElseThrow(() -> error(at, "writerIp.mode", "missing (eni, local or none)"));
            WriterIpConfig.Mode parsed;
            try {
                parsed = WriterIpConfig.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(at + "/mode", "writerIp.mode", "must be eni, local or none, not '" + mode + "'");
            }
            Optional<String> address = optionalText(node, at, "address");
            if (parsed == WriterIpConfig.Mode.ENI && address.isEmpty()) {
                throw error(at, "writerIp.address", "missing: mode eni needs the secondary private IP to move");
            }
            return new WriterIpConfig(parsed, address);
        }

        /**
         * {@code tls: {mode, ca}}: the driver's sslMode and the CA a verifying mode checks against.
         * A CA without a verifying mode is refused: it would look like protection and check nothing.
         */
        private TlsConfig tls(JsonNode node) {
            if (node == null || node.isNull()) {
                return TlsConfig.preferred();
            }
            String at = "/tls";
            object(node, at, "tls");
            knownKeys(node, at, TLS_KEYS);
            Optional<String> mode = optionalText(node, at, "mode");
            TlsConfig.Mode parsed;
            try {
                parsed = mode.map(m -> TlsConfig.Mode.valueOf(m.trim().toUpperCase(Locale.ROOT).replace('-', '_')))
                        .orElse(TlsConfig.Mode.PREFERRED);
            } catch (IllegalArgumentException e) {
                throw error(at + "/mode", "tls.mode", "must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, not '"
                        + mode.get() + "'");
            }
            Optional<String> ca = optionalText(node, at, "ca").filter(c -> !c.isBlank());
            if (parsed.verifiesCertificate() && ca.isEmpty()) {
                throw error(at, "tls.ca", "missing: mode " + parsed + " checks the servers' certificates against this CA "
                        + "(an absolute path to a PEM file, or the PEM text)");
            }
            if (!parsed.verifiesCertificate() && ca.isPresent()) {
                throw error(at + "/ca", "tls.ca", "mode " + parsed + " does not check certificates, so a CA would protect nothing: "
                        + "use VERIFY_CA or VERIFY_IDENTITY, or remove ca");
            }
            TlsConfig tls = new TlsConfig(parsed, ca);
            try {
                tls.caCertificates();
            } catch (ConfigException e) {
                throw new ConfigException(source + ":" + lines.lineOf(at + "/ca") + ": " + e.getMessage(), e);
            }
            return tls;
        }

        /** More than a few hundred failures in a row is a typo, not a policy; it also has to fit an int. */
        /** A grace longer than a few minutes is a failover that waits for a human: refuse it rather than surprise. */
        private Duration deadMasterGrace(JsonNode root) {
            Duration grace = duration(root, "", "deadMasterGrace", Duration.ZERO, true);
            if (grace.compareTo(Duration.ofMinutes(10)) > 0) {
                throw error("/deadMasterGrace", "deadMasterGrace", "must be at most 10m, found " + grace.toSeconds() + "s");
            }
            return grace;
        }

        private int pingFailures(JsonNode root) {
            long n = positiveLong(root, "", "pingFailures", DEFAULT_PING_FAILURES);
            if (n > 1000) {
                throw error("/pingFailures", "pingFailures", "must be at most 1000, found " + n);
            }
            return (int) n;
        }

        private PingType pingType(JsonNode root) {
            Optional<String> text = optionalText(root, "", "pingType");
            try {
                return text.map(t -> PingType.valueOf(t.toUpperCase(Locale.ROOT))).orElse(PingType.SELECT);
            } catch (IllegalArgumentException e) {
                throw error("/pingType", "pingType", "must be SELECT, CONNECT or INSERT, not '" + text.get() + "'");
            }
        }

        private void object(JsonNode node, String at, String what) {
            if (!node.isObject()) {
                throw error(at, what, "must be a mapping of keys to values, found " + describe(node));
            }
        }

        private void knownKeys(JsonNode node, String at, Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!known.contains(name)) {
                    String hint = known.stream().filter(k -> k.equalsIgnoreCase(name)
                            || k.replace("_", "").equalsIgnoreCase(name.replace("_", ""))).findFirst()
                            .map(k -> " (did you mean '" + k + "'?)").orElse("");
                    // JSON pointer escaping, so that a key with '/' or '~' in it still finds its line
                    String pointer = at + "/" + name.replace("~", "~0").replace("/", "~1");
                    throw error(pointer, at.isEmpty() ? name : key(at) + "." + name, "unknown key" + hint);
                }
            }
        }

        private String requiredName(JsonNode node, String at, String field) {
            String value = optionalText(node, at, field)
                    .orElseThrow(() -> error(at, key(at + "/" + field), "missing"));
            if (!Names.valid(value)) {
                throw error(at + "/" + field, key(at + "/" + field),
                        "'" + value + "' is not a name (" + Names.RULE + ")");
            }
            return value;
        }

        private Optional<String> optionalText(JsonNode node, String at, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isValueNode() || v.isBoolean()) {
                throw error(at + "/" + field, key(at + "/" + field), "must be text, found " + describe(v));
            }
            if (v.isNumber()) {
                // as written: YAML reads password: 0123 as 83 and 1_000 as 1000
                return Optional.of(lines.numberText(at + "/" + field).orElse(v.asText()));
            }
            return Optional.of(v.asText());
        }

        private boolean bool(JsonNode node, String at, String field, boolean dflt) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isInt() && (v.intValue() == 0 || v.intValue() == 1)) {
                return v.intValue() == 1; // MHA's configs say 0/1
            }
            throw error(at + "/" + field, key(at + "/" + field), "must be true or false, found " + describe(v));
        }

        private long positiveLong(JsonNode node, String at, String field, long dflt) {
            long v = nonNegativeLong(node, at, field, dflt);
            if (v == 0) {
                throw error(at + "/" + field, key(at + "/" + field), "must be greater than 0");
            }
            return v;
        }

        private long nonNegativeLong(JsonNode node, String at, String field, long dflt) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
                throw error(at + "/" + field, key(at + "/" + field), "must be a whole number ≥ 0, found " + describe(v));
            }
            return v.asLong();
        }

        private Duration duration(JsonNode node, String at, String field, Duration dflt) {
            return duration(node, at, field, dflt, false);
        }

        private Duration duration(JsonNode node, String at, String field, Duration dflt, boolean zeroAllowed) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            Matcher m = DURATION.matcher(v.asText().trim());
            if (!(v.isTextual() || v.isIntegralNumber()) || !m.matches()) {
                throw error(at + "/" + field, key(at + "/" + field),
                        "must be a duration such as 500ms, 3s, 2m (a bare number means seconds), found " + describe(v));
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isZero() && !zeroAllowed) {
                throw error(at + "/" + field, key(at + "/" + field), "must be longer than 0");
            }
            return d;
        }

        private ConfigException error(String pointer, String key, String message) {
            return new ConfigException(source + ":" + lines.lineOf(pointer) + ": " + key + ": " + message);
        }

        /** {@code /servers/1/port} → {@code servers[1].port}: the way an operator reads a key path. */
        static String key(String pointer) {
            if (pointer.isEmpty()) {
                return "the config";
            }
            StringBuilder out = new StringBuilder();
            for (String part : pointer.substring(1).split("/")) {
                if (part.chars().allMatch(Character::isDigit)) {
                    out.append('[').append(part).append(']');
                } else {
                    out.append(out.isEmpty() ? "" : ".").append(part);
                }
            }
            return out.toString();
        }

        private static String describe(JsonNode v) {
            if (v.isObject()) {
                return "a mapping";
            }
            if (v.isArray()) {
                return "a list";
            }
            if (v.isNull()) {
                return "nothing";
            }
            return (v.isTextual() ? "text " : v.isBoolean() ? "boolean " : "number ") + "'" + v.asText() + "'";
        }
    }
}
