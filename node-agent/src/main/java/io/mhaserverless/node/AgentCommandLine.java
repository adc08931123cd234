package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.Subcommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The picocli command line of {@code mha-node-agent} (main: {@link NodeAgent}): the root command,
 * its subcommands, help, usage errors.
 */
@Command(name = "mha-node-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentCommandLine.Version.class,
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
public final class AgentCommandLine implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The subcommands' names, in --help's order. */
    private static final String[] SUBCOMMANDS = {Subcommand.SAVE_BINLOG, Subcommand.FIND_RELAY_POSITION, Subcommand.APPLY_DIFF,
            Subcommand.PURGE_RELAY_LOGS, Subcommand.CHECK_MASTER, Subcommand.BIND_IP, Subcommand.UNBIND_IP, Subcommand.SELF_CHECK};

    /** A new subcommand object, or null for an unknown name (a switch, not a map of lambdas: no lambda is made at start). */
    private static Object subcommand(String name) {
        return switch (name) {
            case Subcommand.SAVE_BINLOG -> new SaveBinlogCommand();
            case Subcommand.FIND_RELAY_POSITION -> new FindRelayPositionCommand();
            case Subcommand.APPLY_DIFF -> new ApplyDiffCommand();
            case Subcommand.PURGE_RELAY_LOGS -> new PurgeRelayLogsCommand();
            case Subcommand.CHECK_MASTER -> new CheckMasterCommand();
            case Subcommand.BIND_IP -> new BindIpCommand();
            case Subcommand.UNBIND_IP -> new UnbindIpCommand();
            case Subcommand.SELF_CHECK -> new SelfCheckCommand();
            default -> null;
        };
    }

    /** Parses and runs these arguments with picocli; the exit code. */
    static int execute(String[] args) {
        return commandLine(args).execute(args);
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
        CommandLine cmd = new CommandLine(new AgentCommandLine())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(new UsageErrorHandler());
        Object only = args.length > 0 ? subcommand(args[0]) : null;
        if (only != null) {
            cmd.addSubcommand(args[0], only);
        } else {
            for (String name : SUBCOMMANDS) {
                cmd.addSubcommand(name, subcommand(name));
            }
        }
        return cmd;
    }

    @Override
    public void run() {
        throw UsageErrorHandler.usageError(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AgentCommandLine.class.getPackage().getImplementationVersion();
            return new String[] {"mha-node-agent " + (v == null ? "(development build)" : v)};
        }
    }
}
