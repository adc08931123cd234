package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.binlog.PositionNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
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
        return handle(e, cmd.getCommandName(), cmd.getOut(), cmd.getErr());
    }

    /** The same without picocli ({@link QuickStart}). */
    static int handle(Exception e, String command, PrintWriter out, PrintWriter err) {
        if (e instanceof PositionNotFoundException) {
            return report(command, out, err, "not-found", e.getMessage(), ExitCodes.POSITION_NOT_FOUND);
        }
        if (e instanceof AgentFailure) {
            return report(command, out, err, "error", e.getMessage(), ExitCodes.ERROR);
        }
        if (e instanceof NoSuchFileException f) {
            return report(command, out, err, "error", f.getFile() + ": " + (f.getReason() == null ? "no such file" : f.getReason()), ExitCodes.ERROR);
        }
        if (e instanceof AccessDeniedException f) {
            return report(command, out, err, "error", f.getFile() + ": permission denied", ExitCodes.ERROR);
        }
        if ((e instanceof FileSystemException || e instanceof IOException) && e.getMessage() != null && !e.getMessage().isBlank()) {
            return report(command, out, err, "error", e.getMessage(), ExitCodes.ERROR);
        }
        err.println(command + ": unexpected error: " + e);
        e.printStackTrace(err);
        return report(command, out, err, "error", "unexpected error: " + e, ExitCodes.ERROR);
    }

    private static int report(String command, PrintWriter out, PrintWriter err, String status, String message, int exit) {
        err.println(command + ": " + Json.oneLine(message));
        err.flush();
        Json.print(out, Json.error(status, message));
        return exit;
    }
}
