package io.mhaserverless.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mha}: the operator's command line. */
@Command(name = "mha",
        mixinStandardHelpOptions = true,
        versionProvider = Mha.Version.class,
        description = "Automated master failover and planned switchover for MySQL and MariaDB replication.",
        subcommands = {CheckReplCommand.class, ManagerCommand.class, StatusCommand.class, FailoverCommand.class,
                SwitchoverCommand.class, AckCommand.class, HistoryCommand.class, ImportCnfCommand.class, ConfigCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (check-repl: replication is healthy)",
                "1:check-repl: replication is not healthy; other commands: the operation failed",
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
