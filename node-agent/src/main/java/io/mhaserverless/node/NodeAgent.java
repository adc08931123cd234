package io.mhaserverless.node;

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
                "0:success",
                "1:the operation failed (the JSON error names the file, argument or host)",
                "2:usage error",
                "10:save-binlog: nothing newer than the start",
                "12:find-relay-position / apply-diff: position not found in the relay logs"})
public final class NodeAgent implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The subcommands, by name; built on demand (picocli's model of all of them costs start-up time). */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("save-binlog", SaveBinlogCommand::new);
        m.put("find-relay-position", FindRelayPositionCommand::new);
        m.put("apply-diff", ApplyDiffCommand::new);
        m.put("purge-relay-logs", PurgeRelayLogsCommand::new);
        m.put("check-master", CheckMasterCommand::new);
        m.put("bind-ip", BindIpCommand::new);
        m.put("unbind-ip", UnbindIpCommand::new);
        m.put("bench", BenchCommand::new);
        return m;
    }

    public static void main(String[] args) {
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
