package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.binlog.PositionNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns a failed command into its one JSON line and exit code: a position that is not in the relay
 * logs exits 12; anything else 1 with an error naming the file, argument or host. Unexpected
 * exceptions (bugs) also print their stack trace on stderr.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String command = cmd.getCommandName();
        if (e instanceof PositionNotFoundException) {
            return report(cmd, "not-found", e.getMessage(), ExitCodes.POSITION_NOT_FOUND);
        }
        if (e instanceof AgentFailure) {
            return report(cmd, "error", e.getMessage(), ExitCodes.ERROR);
        }
        if (e instanceof NoSuchFileException f) {
            return report(cmd, "error", f.getFile() + ": " + (f.getReason() == null ? "no such file" : f.getReason()), ExitCodes.ERROR);
        }
        if (e instanceof AccessDeniedException f) {
            return report(cmd, "error", f.getFile() + ": permission denied", ExitCodes.ERROR);
        }
        if ((e instanceof FileSystemException || e instanceof IOException) && e.getMessage() != null && !e.getMessage().isBlank()) {
            return report(cmd, "error", e.getMessage(), ExitCodes.ERROR);
        }
        cmd.getErr().println(command + ": unexpected error: " + e);
        e.printStackTrace(cmd.getErr());
        return report(cmd, "error", "unexpected error: " + e, ExitCodes.ERROR);
    }

    private static int report(CommandLine cmd, String status, String message, int exit) {
        cmd.getErr().println(cmd.getCommandName() + ": " + Json.oneLine(message));
        cmd.getErr().flush();
        Json.print(cmd.getOut(), Json.error(status, message));
        return exit;
    }
}
