package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import picocli.CommandLine;

/**
 * Usage errors: the message and the usage on stderr, and still one JSON object on stdout
 * ({"status":"error","error":"usage: …"}) so that a caller parsing stdout sees why; exit 2.
 */
public final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

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
