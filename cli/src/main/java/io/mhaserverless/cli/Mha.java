package io.mhaserverless.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mha}: the operator's command line. */
@Command(name = "mha",
        mixinStandardHelpOptions = true,
        versionProvider = Mha.Version.class,
        description = "Automated master failover and planned switchover for MySQL and MariaDB replication.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (check-repl: replication is healthy; check-agents: every agent answers)",
                "1:check-repl: replication is not healthy; check-agents: an agent does not; other commands: the operation failed",
                "2:bad input: usage, config, or a server that refuses us (credentials, not MySQL)"})
public final class Mha implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(CheckReplCommand.class, CheckAgentsCommand.class, ManagerCommand.class,
            StatusCommand.class, FailoverCommand.class, SwitchoverCommand.class, RejoinCommand.class, AckCommand.class,
            HistoryCommand.class, RedriveCommand.class, ImportCnfCommand.class, ConfigCommand.class);

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every subcommand; tests run it in-process. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * Only the named subcommand when the first argument names one: `mha failover` is a one-shot
     * process on a failover's critical path, and picocli's model of the eleven others (built by
     * reflection, from classes a class-data archive cannot hold: picocli is Java 5 bytecode) cost
     * it about 0.1 s. Everything else (help, errors, no command) gets them all.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new Mha());
        String named = args.length > 0 ? args[0] : null;
        Class<?> only = SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(named)).findFirst().orElse(null);
        for (Class<?> c : only != null ? List.<Class<?>>of(only) : SUBCOMMANDS) {
            cmd.addSubcommand(c);
        }
        // after the subcommands: picocli hands a setting to the subcommands it has at the time
        return cmd.setExecutionExceptionHandler(new ErrorHandler());
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
