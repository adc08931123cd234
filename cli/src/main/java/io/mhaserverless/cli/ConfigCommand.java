package io.mhaserverless.cli;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.topology.CurrentMaster;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.TopologyDiscovery;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ssm.SsmClient;

/** MHA's masterha_conf_host: show a cluster's config, add a server to it or remove one. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Shows or edits a cluster's config in a local file or in its Parameter Store parameter.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.AddServer.class, ConfigCommand.RemoveServer.class})
public final class ConfigCommand implements Runnable {

    /** How {@code --parameter} reaches SSM; tests point it at FakeAws. */
    static Supplier<SsmClient> ssm = () -> AwsClients.fromEnvironment().ssm();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: show, add-server or remove-server");
    }

    /** Where the config lives: exactly one of a file and a parameter. */
    static final class Target {
        static final class Where {
            @Option(names = "--config", paramLabel = "FILE", description = "a local config file (YAML)")
            Path file;

            @Option(names = "--parameter", paramLabel = "NAME",
                    description = "the cluster's SSM parameter, e.g. /mha/clusters/app1 (region and credentials from the AWS environment)")
            String parameter;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        private ParameterStoreConfigSource.Stored stored;

        String source() {
            return where.file != null ? where.file.toString() : "ssm:" + where.parameter;
        }

        String read() {
            if (where.file != null) {
                try {
                    return Files.readString(where.file);
                } catch (NoSuchFileException e) {
                    throw new ConfigException(where.file + ": no such file");
                } catch (IOException e) {
                    throw new ConfigException(where.file + ": cannot read: " + e.getMessage(), e);
                }
            }
            stored = store().read(where.parameter);
            return stored.text();
        }

        /** @return what was written, for the one line the command prints */
        String write(String text) {
            if (where.file != null) {
                try {
                    // a new file moved over the old one: a crash leaves the old config or the new, never half of one
                    Path tmp = Files.createTempFile(where.file.toAbsolutePath().getParent(), ".mha-config", ".yaml");
                    Files.writeString(tmp, text);
                    Files.move(tmp, where.file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new ConfigException(where.file + ": cannot write: " + e.getMessage(), e);
                }
                return where.file.toString();
            }
            return where.parameter + " (version " + store().write(stored, text) + ")";
        }

        private static ParameterStoreConfigSource store() {
            return new ParameterStoreConfigSource(ssm.get(), ParameterStoreConfigSource.DEFAULT_PREFIX);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints a cluster's config after the loader's validation, with every password shown as ***.")
    static final class Show implements Runnable {
        @Mixin
        Target target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(ConfigEdit.masked(target.read(), target.source()));
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "add-server", mixinStandardHelpOptions = true,
            description = {"Adds a server to a cluster's config, validated as the loader validates it.",
                    "MHA's masterha_conf_host --command=add. The file is rewritten from its parsed form, so comments in it are not kept."})
    static final class AddServer implements Runnable {
        @Mixin
        Target target;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the server's name (MHA's block name)")
        String name;

        @Option(names = "--host", required = true, paramLabel = "HOST", description = "its host name or IP address")
        String host;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "3306", description = "its port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--candidate-master", description = "prefer it as the new master (candidate_master)")
        boolean candidateMaster;

        @Option(names = "--no-master", description = "never promote it (no_master)")
        boolean noMaster;

        @Option(names = "--ignore-fail", description = "its death does not block checks or a failover (ignore_fail)")
        boolean ignoreFail;

        @Option(names = "--instance-id", paramLabel = "ID", description = "its EC2 instance")
        String instanceId;

        @Option(names = "--binlog-dir", paramLabel = "DIR", description = "where it writes its binlog (master_binlog_dir)")
        String binlogDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            ServerConfig server = new ServerConfig(name, host, port, candidateMaster, noMaster, ignoreFail,
                    Optional.ofNullable(instanceId), Optional.ofNullable(binlogDir));
            String edited = ConfigEdit.addServer(target.read(), target.source(), server);
            spec.commandLine().getOut().println("added " + server.label() + " to " + target.write(edited));
        }
    }

    @Command(name = "remove-server", mixinStandardHelpOptions = true,
            description = {"Removes a server from a cluster's config, unless it is the current master.",
                    "MHA's masterha_conf_host --command=delete. The current master is discovered from the servers, or named with "
                            + "--current-master where they cannot be reached."})
    static final class RemoveServer implements Runnable {
        @Mixin
        Target target;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the server to remove")
        String name;

        @Option(names = "--current-master", paramLabel = "NAME",
                description = "the cluster's master, when discovery cannot reach the servers (e.g. a config with a credentialsSecret)")
        String currentMaster;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            String text = target.read();
            ClusterConfig config = ConfigLoader.parseYaml(text, target.source());
            String edited = ConfigEdit.removeServer(text, target.source(), name);
            if (currentMaster != null && config.server(currentMaster).isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--current-master: no server '" + currentMaster
                        + "' in " + target.source());
            }
            String master = currentMaster != null ? currentMaster : discoverMaster(config);
            if (master.equals(name)) {
                throw new ConfigException(target.source() + ": " + name + " is the current master: fail over or switch over "
                        + "first (mha switchover), then remove it");
            }
            spec.commandLine().getOut().println("removed " + config.requireServer(name).label() + " from " + target.write(edited)
                    + " (the master is " + master + ")");
        }

        private String discoverMaster(ClusterConfig config) {
            CurrentMaster found;
            try {
                found = new TopologyDiscovery(Connector.forCluster(config)).discover(config).master();
            } catch (ConfigException e) {
                throw new ConfigException("cannot tell which server is the master (" + e.getMessage()
                        + "): give --current-master NAME");
            }
            return found.server().map(ServerState::name).orElseThrow(() -> new ConfigException(
                    "cannot tell which server is the master (" + found.problem().orElse("?") + "): give --current-master NAME"));
        }
    }
}
