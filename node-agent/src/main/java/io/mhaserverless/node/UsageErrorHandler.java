package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import picocli.CommandLine;

/**
 * Usage errors: the message and the usage on stderr, and still one JSON object on stdout
 * ({"status":"error","error":"usage: …"}) so that a caller parsing stdout sees why; exit 2.
 */
public final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    /**
     * A usage error of this command line, typed RuntimeException: AgentCommand returns it, and
     * the bytecode verifier would load picocli's exception types with AgentCommand otherwise (QuickStart runs without them).
     */
    static RuntimeException usageError(CommandLine cmd, String message) {
        return new CommandLine.ParameterException(cmd, message);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
            cmd.usage(cmd.getErr());
        }
        cmd.getErr().flush();
        Json.print(cmd.getOut(), Json.error("error", "usage: " + e.getMessage()));
        return ExitCodes.USAGE;
    }
}
