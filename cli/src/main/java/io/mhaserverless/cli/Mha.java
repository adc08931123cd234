package io.mhaserverless.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mha}: the operator's command line. */
@Command(name = "mha",
        mixinStandardHelpOptions = true,
        versionProvider = Mha.Version.class,
        description = "Automated master failover and planned switchover for MySQL and MariaDB replication.",
        subcommands = {CheckReplCommand.class, CheckAgentsCommand.class, ManagerCommand.class, StatusCommand.class,
                FailoverCommand.class, SwitchoverCommand.class, RejoinCommand.class, AckCommand.class, HistoryCommand.class,
                RedriveCommand.class, ImportCnfCommand.class, ConfigCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (check-repl: replication is healthy; check-agents: every agent answers)",
                "1:check-repl: replication is not healthy; check-agents: an agent does not; other commands: the operation failed",
                "2:bad input: usage, config, or a server that refuses us (credentials, not MySQL)"})
public final class Mha implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Mha()).setExecutionExceptionHandler(new ErrorHandler());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mha.class.getPackage().getImplementationVersion();
            return new String[] {"mha " + (v == null ? "(development build)" : v)};
        }
    }
}
