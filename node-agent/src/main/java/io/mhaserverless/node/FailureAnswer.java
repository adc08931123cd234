package io.mhaserverless.node;

import io.mhaserverless.node.binlog.PositionNotFoundException;
import io.mhaserverless.node.protocol.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A failed command's one JSON line and exit code, for {@link ErrorHandler} (picocli) and
 * {@link QuickStart} alike. Apart from the handler because that one implements a picocli
 * interface, and a class-data archive cannot hold a class whose interface is a Java 5 class.
 */
final class FailureAnswer {

    private FailureAnswer() {
    }

    /** Prints the answer for {@code e} and returns the exit code. */
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
