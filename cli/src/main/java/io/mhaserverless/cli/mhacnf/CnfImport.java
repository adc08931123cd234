package io.mhaserverless.cli.mhacnf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.cli.mhacnf.MhaIni.Block;
import io.mhaserverless.cli.mhacnf.MhaIni.Entry;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MHA's app file (and its global defaults file) turned into our cluster config, the way MHA's
 * Config.pm reads them: the global {@code [server default]}, then the app's {@code [server default]},
 * then each {@code [serverN]} block, each later one overriding. Every parameter is either written
 * into the YAML or named in a notice (not needed, or not supported and what replaces it); passwords
 * go to Secrets Manager secrets the output names, never into the YAML.
 */
public final class CnfImport {

    static final String DEFAULT_BLOCK = "server default";
    private static final Pattern BLOCK_NAME = Pattern.compile("(server|binlog)\\S+");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");
    private static final Set<String> PING_TYPES = Set.of("SELECT", "CONNECT", "INSERT");

    /** A Secrets Manager secret the config names and the operator has to create. */
    public record Secret(String name, String user, String mhaKey) {
    }

    /**
     * @param yaml    the config, already through {@link ConfigLoader}'s validation
     * @param notices one line per parameter that is not written into the YAML, and why
     * @param secrets the secrets {@code yaml} names
     */
    public record Result(String yaml, ClusterConfig config, List<String> notices, List<Secret> secrets) {
    }

    /**
     * @param cluster      the cluster's name
     * @param writerIp     the writer's secondary private IP, which MHA's master_ip_*_script moved
     * @param secretPrefix secrets are named {@code <prefix>/<cluster>/admin} and {@code .../replication}
     */
    public record Options(String cluster, Optional<String> writerIp, String secretPrefix) {
    }

    private final MhaIni app;
    private final Optional<MhaIni> global;
    private final Options options;
    private final List<String> notices = new ArrayList<>();
    private final Set<String> noticed = new LinkedHashSet<>();

    private CnfImport(MhaIni app, Optional<MhaIni> global, Options options) {
        this.app = app;
        this.global = global;
        this.options = options;
    }

    public static Result convert(MhaIni app, Optional<MhaIni> global, Options options) {
        return new CnfImport(app, global, options).convert();
    }

    private Result convert() {
        if (!Names.valid(options.cluster())) {
            throw new ConfigException("cluster name '" + options.cluster() + "' is not a name (" + Names.RULE + "): give --cluster");
        }
        global.ifPresent(g -> {
            requireDefaultBlock(g);
            for (Block b : g.blocks()) {
                if (!b.name().equals(DEFAULT_BLOCK)) {
                    note(g.file() + ":" + b.line() + ": [" + b.name() + "]", "ignored: MHA reads only [server default] from the global file");
                }
            }
        });
        requireDefaultBlock(app);
        for (MhaIni file : files()) {
            for (Block b : file.blocks()) {
                if (!b.name().equals(DEFAULT_BLOCK) && !BLOCK_NAME.matcher(b.name()).matches()) {
                    throw new ConfigException(file.file() + ":" + b.line() + ": [" + b.name() + "]: not a block MHA knows: "
                            + "[server default], [server<anything>] or [binlog<anything>]");
                }
                for (Entry e : b.entries().values()) {
                    MhaParameter p = MhaParameter.of(e.key()).orElseThrow(() -> new ConfigException(e.where()
                            + ": not an MHA parameter (MHA 0.58 aborts on it too)"));
                    scopeNotice(b, e, p);
                }
            }
        }

        // [server default]: the global file's, then the app file's on top of it
        Map<String, Entry> defaults = new LinkedHashMap<>();
        global.flatMap(g -> g.block(DEFAULT_BLOCK)).ifPresent(b -> defaults.putAll(b.entries()));
        app.block(DEFAULT_BLOCK).ifPresent(b -> defaults.putAll(b.entries()));

        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("cluster", options.cluster());
        List<Secret> secrets = new ArrayList<>();

        List<Block> serverBlocks = app.blocks().stream().filter(b -> b.name().startsWith("server") && !b.name().equals(DEFAULT_BLOCK)).toList();
        if (serverBlocks.size() < 2) {
            throw new ConfigException(app.file() + ":" + app.block(DEFAULT_BLOCK).get().line()
                    + ": [server*]: a cluster needs at least 2 server blocks, found " + serverBlocks.size());
        }
        for (Block b : app.blocks()) {
            if (b.name().startsWith("binlog")) {
                note(app.file() + ":" + b.line() + ": [" + b.name() + "]", "not supported: binlog servers; the node agent "
                        + "saves the dead master's binlog on its own host when that host answers, and GTID replicas catch up from the latest replica");
            }
        }

        // the accounts: one per cluster here, so every server block must agree with the others
        Optional<Entry> user = same(serverBlocks, defaults, "user");
        Optional<Entry> password = same(serverBlocks, defaults, "password").filter(e -> !unset(e.value()));
        Optional<Entry> replUser = same(serverBlocks, defaults, "repl_user");
        Optional<Entry> replPassword = same(serverBlocks, defaults, "repl_password").filter(e -> !unset(e.value()));
        String adminUser = user.map(Entry::value).filter(v -> !v.isEmpty()).orElse("root");
        yaml.put("user", adminUser);
        if (password.isPresent()) {
            Secret s = new Secret(options.secretPrefix() + "/" + options.cluster() + "/admin", adminUser, "password");
            yaml.put("credentialsSecret", s.name());
            secrets.add(s);
        }
        if (replUser.isPresent()) {
            yaml.put("replicationUser", replUser.get().value());
            if (replPassword.isPresent()) {
                Secret s = new Secret(options.secretPrefix() + "/" + options.cluster() + "/replication", replUser.get().value(), "repl_password");
                yaml.put("replicationCredentialsSecret", s.name());
                secrets.add(s);
            }
        } else if (replPassword.isPresent()) {
            throw new ConfigException(replPassword.get().where() + ": repl_password without repl_user: name the account "
                    + "(MHA read it from SHOW SLAVE STATUS; here the config names it)");
        } else {
            notices.add("import-cnf: repl_user: not set: MHA read the replication account from SHOW SLAVE STATUS; add "
                    + "replicationUser and replicationCredentialsSecret before a failover has to repoint replicas");
        }

        Optional<Entry> interval = appValue(defaults, "ping_interval");
        interval.ifPresent(e -> yaml.put("pingInterval", positive(e) + "s"));
        appValue(defaults, "ping_type").ifPresent(e -> {
            String t = e.value().toUpperCase(Locale.ROOT);
            if (!PING_TYPES.contains(t)) {
                throw new ConfigException(e.where() + ": must be SELECT, CONNECT or INSERT, not '" + e.value() + "'");
            }
            yaml.put("pingType", t);
        });
        appValue(defaults, "check_repl_delay").ifPresent(e -> yaml.put("checkReplDelay", bool(e)));
        appValue(defaults, "check_repl_filter").ifPresent(e -> yaml.put("checkReplFilter", bool(e)));
        appValue(defaults, "latest_priority").ifPresent(e -> yaml.put("latestPriority", bool(e)));
        appValue(defaults, "multi_tier_slave").ifPresent(e -> yaml.put("multiTierSlave", bool(e)));
        appValue(defaults, "secondary_check_script").filter(e -> !unset(e.value())).ifPresent(e -> yaml.put("secondaryCheck", true));
        appValue(defaults, "report_script").filter(e -> !unset(e.value())).ifPresent(e ->
                note(e.where(), "replaced: " + MhaParameter.REPORT_SCRIPT.ours()));
        Optional<Entry> ipScript = appValue(defaults, "master_ip_failover_script").filter(e -> !unset(e.value()))
                .or(() -> appValue(defaults, "master_ip_online_change_script").filter(e -> !unset(e.value())));
        if (options.writerIp().isPresent()) {
            yaml.put("writerIp", new LinkedHashMap<>(Map.of("mode", "eni", "address", options.writerIp().get())));
        } else {
            ipScript.ifPresent(e -> note(e.where(), "needs --writer-ip: " + MhaParameter.MASTER_IP_FAILOVER_SCRIPT.ours()
                    + "; without it clients find the new master themselves"));
        }
        // the rest of [server default]: nothing to write, one line each on why
        for (Entry e : defaults.values()) {
            MhaParameter p = MhaParameter.of(e.key()).orElseThrow();
            if (p.handling() != MhaParameter.Handling.MAPPED && p.scope() != MhaParameter.Scope.SERVER) {
                explain(e, p);
            }
        }

        List<Map<String, Object>> servers = new ArrayList<>();
        Map<String, Entry> addressAt = new HashMap<>();
        for (Block b : serverBlocks) {
            servers.add(server(b, defaults, addressAt));
        }
        yaml.put("servers", servers);

        String text = write(yaml);
        ClusterConfig config;
        try {
            config = ConfigLoader.parseYaml(text, options.cluster() + ".yaml");
        } catch (ConfigException e) {
            throw new ConfigException(app.file() + ": the imported config does not validate: " + e.getMessage(), e);
        }
        return new Result(text, config, List.copyOf(notices), List.copyOf(secrets));
    }

    private Map<String, Object> server(Block b, Map<String, Entry> defaults, Map<String, Entry> addressAt) {
        Map<String, Entry> own = b.entries();
        String where = app.file() + ":" + b.line() + ": [" + b.name() + "]";
        if (!Names.valid(b.name())) {
            throw new ConfigException(where + ": the block name becomes the server's name, and is not one (" + Names.RULE + ")");
        }
        Optional<Entry> hostname = Optional.ofNullable(own.get("hostname")).filter(e -> !e.value().isEmpty());
        Optional<Entry> ip = Optional.ofNullable(own.get("ip")).filter(e -> !e.value().isEmpty());
        Entry host = ip.or(() -> hostname).orElseThrow(() -> new ConfigException(where + ": hostname: missing"));
        Entry portEntry = Optional.ofNullable(own.get("port")).orElse(defaults.get("port"));
        int port = 3306;
        if (portEntry != null) {
            long p = positive(portEntry);
            if (p > 65535) {
                throw new ConfigException(portEntry.where() + ": not a TCP port: " + p);
            }
            port = (int) p;
        }
        Entry first = addressAt.putIfAbsent(host.value() + ":" + port, host);
        if (first != null) {
            throw new ConfigException(host.where() + ": " + host.value() + ":" + port + " is also the address at line " + first.line());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", b.name());
        s.put("host", host.value());
        if (port != 3306) {
            s.put("port", port);
        }
        boolean candidate = Optional.ofNullable(own.get("candidate_master")).map(this::bool).orElse(false);
        boolean noMaster = Optional.ofNullable(own.get("no_master")).map(this::bool).orElse(false);
        if (candidate && noMaster) {
            throw new ConfigException(own.get("no_master").where() + ": [" + b.name() + "] cannot be both candidate_master and no_master");
        }
        if (candidate) {
            s.put("candidateMaster", true);
        }
        if (noMaster) {
            s.put("noMaster", true);
        }
        if (Optional.ofNullable(own.get("ignore_fail")).map(this::bool).orElse(false)) {
            s.put("ignoreFail", true);
        }
        Entry dirs = Optional.ofNullable(own.get("master_binlog_dir")).orElse(defaults.get("master_binlog_dir"));
        if (dirs != null) {
            List<String> list = List.of(dirs.value().replaceAll("\\s", "").split(","));
            if (!list.get(0).isEmpty()) {
                s.put("binlogDir", list.get(0));
            }
            if (list.size() > 1) {
                note(dirs.where(), "only the first directory is kept (" + list.get(0) + "): binlogDir is the one directory "
                        + "the server writes its binlog to, which check-repl compares with @@log_bin_basename");
            }
        }
        for (Entry e : own.values()) {
            MhaParameter p = MhaParameter.of(e.key()).orElseThrow();
            if (p.handling() != MhaParameter.Handling.MAPPED && p.scope() != MhaParameter.Scope.APP) {
                explain(e, p);
            }
        }
        if (hostname.isPresent() && ip.isPresent() && !hostname.get().value().equals(ip.get().value())) {
            note(hostname.get().where(), "not needed: " + MhaParameter.IP.ours());
        }
        return s;
    }

    private void explain(Entry e, MhaParameter p) {
        boolean off = e.value().equals("0") || unset(e.value());
        if (p.handling() == MhaParameter.Handling.NOT_SUPPORTED && !off) {
            note(e.where(), "not supported: " + p.ours());
        } else {
            note(e.where(), "not needed: " + p.ours());
        }
    }

    /** One line per parameter, the first place it appears: a reader wants to know each one's fate once. */
    private void note(String where, String what) {
        String key = where.replaceFirst("^.*:\\d+: ", "");
        if (noticed.add(key)) {
            notices.add("import-cnf: " + where + ": " + what);
        }
    }

    private void scopeNotice(Block b, Entry e, MhaParameter p) {
        boolean inDefault = b.name().equals(DEFAULT_BLOCK);
        if (inDefault && p.scope() == MhaParameter.Scope.SERVER) {
            note(e.where(), "ignored: MHA reads it only from a [server...] block");
        } else if (!inDefault && p.scope() == MhaParameter.Scope.APP) {
            note(e.where(), "ignored: MHA reads it only from [server default]");
        }
    }

    /** An account parameter: every server block gets the same one here (one admin account per cluster). */
    private Optional<Entry> same(List<Block> servers, Map<String, Entry> defaults, String key) {
        Entry first = Optional.ofNullable(servers.get(0).entries().get(key)).orElse(defaults.get(key));
        for (Block b : servers) {
            Entry e = Optional.ofNullable(b.entries().get(key)).orElse(defaults.get(key));
            if (!java.util.Objects.equals(first == null ? null : first.value(), e == null ? null : e.value())) {
                Entry at = e != null ? e : first;
                throw new ConfigException(at.where() + ": not supported: [" + b.name() + "] has another " + key + " than ["
                        + servers.get(0).name() + "]: a cluster has one " + (key.startsWith("repl") ? "replication" : "admin")
                        + " account here; give it once in [server default]");
            }
        }
        return Optional.ofNullable(first);
    }

    private static Optional<Entry> appValue(Map<String, Entry> defaults, String key) {
        return Optional.ofNullable(defaults.get(key));
    }

    private boolean bool(Entry e) {
        return switch (e.value()) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new ConfigException(e.where() + ": must be 0 or 1, not '" + e.value() + "'");
        };
    }

    private static long positive(Entry e) {
        if (!WHOLE.matcher(e.value()).matches() || Long.parseLong(e.value()) == 0) {
            throw new ConfigException(e.where() + ": must be a whole number greater than 0, not '" + e.value() + "'");
        }
        return Long.parseLong(e.value());
    }

    /** MHA's own test configs say {@code shutdown_script=""} for "none". */
    private static boolean unset(String value) {
        return value.isEmpty() || value.equals("\"\"") || value.equals("''");
    }

    private void requireDefaultBlock(MhaIni file) {
        if (file.block(DEFAULT_BLOCK).isEmpty()) {
            throw new ConfigException(file.file() + ":1: [server default]: missing (MHA's files start with it; "
                    + "an empty one will do)");
        }
    }

    private List<MhaIni> files() {
        List<MhaIni> files = new ArrayList<>();
        global.ifPresent(files::add);
        files.add(app);
        return files;
    }

    private static String write(Map<String, Object> yaml) {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        try {
            return "# imported from MHA by mha import-cnf; passwords live in the Secrets Manager secrets named below\n"
                    + new ObjectMapper(factory).writeValueAsString(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
