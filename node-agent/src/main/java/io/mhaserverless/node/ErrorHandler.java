package io.mhaserverless.node;

import picocli.CommandLine;

/**
 * Turns a failed command into its one JSON line and exit code: a position that is not in the relay
 * logs exits 12; anything else 1 with an error naming the file, argument or host. Unexpected
 * exceptions (bugs) also print their stack trace on stderr.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return FailureAnswer.handle(e, cmd.getCommandName(), cmd.getOut(), cmd.getErr());
    }
}
