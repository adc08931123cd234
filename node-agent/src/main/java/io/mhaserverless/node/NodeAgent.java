package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.Subcommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mha-node-agent}: the CLI that SSM Run Command (or the local runtime) starts on a MySQL
 * host. Every subcommand prints exactly one JSON object on stdout and its progress on stderr.
 */
@Command(name = "mha-node-agent",
        mixinStandardHelpOptions = true,
        versionProvider = NodeAgent.Version.class,
        description = {"MHA Serverless node agent: binlog and relay-log tools and writer-IP binding on a MySQL host. Each "
                        + "command prints one JSON object on stdout (the result) and progress lines on stderr. Credentials come "
                        + "only from --credentials-file (user=, password=) or MHA_USER / MHA_PASSWORD."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK + ":success",
                ExitCodes.ERROR + ":the operation failed (the JSON error names the file, argument or host)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.NOTHING_NEWER + ":save-binlog: nothing newer than the start",
                ExitCodes.POSITION_NOT_FOUND + ":find-relay-position / apply-diff: position not found in the relay logs"})
public final class NodeAgent implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The subcommands, by name; built on demand (picocli's model of all of them costs start-up time). */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put(Subcommand.SAVE_BINLOG, SaveBinlogCommand::new);
        m.put(Subcommand.FIND_RELAY_POSITION, FindRelayPositionCommand::new);
        m.put(Subcommand.APPLY_DIFF, ApplyDiffCommand::new);
        m.put(Subcommand.PURGE_RELAY_LOGS, PurgeRelayLogsCommand::new);
        m.put(Subcommand.CHECK_MASTER, CheckMasterCommand::new);
        m.put(Subcommand.BIND_IP, BindIpCommand::new);
        m.put(Subcommand.UNBIND_IP, UnbindIpCommand::new);
        m.put(Subcommand.SELF_CHECK, SelfCheckCommand::new);
        return m;
    }

    public static void main(String[] args) {
        // what an agent killed mid-way left (an option file in /dev/shm, a merged diff): gone before this run adds its own
        io.mhaserverless.node.protocol.OwnedTempFiles.sweep(io.mhaserverless.node.protocol.OwnedTempFiles.secretDirectory());
        io.mhaserverless.node.protocol.OwnedTempFiles.sweep(io.mhaserverless.node.protocol.OwnedTempFiles.defaultDirectory());
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every subcommand; tests run it in-process with their own out / err writers. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments: only the named subcommand when the first argument names
     * one (each SSM invocation runs one command in a fresh JVM), all of them otherwise (help, errors).
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new NodeAgent())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(new UsageErrorHandler());
        Supplier<Object> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cmd.addSubcommand(args[0], only.get());
        } else {
            SUBCOMMANDS.forEach((name, make) -> cmd.addSubcommand(name, make.get()));
        }
        return cmd;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NodeAgent.class.getPackage().getImplementationVersion();
            return new String[] {"mha-node-agent " + (v == null ? "(development build)" : v)};
        }
    }
}
