package io.mhaserverless.node;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/** Human progress lines on stderr, with a time stamp, never on stdout (stdout is the JSON result). */
final class Log implements Consumer<String> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter err;
    private final String command;

    Log(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
    }

    @Override
    public void accept(String line) {
        err.println(LocalTime.now().format(TIME) + " [" + command + "] " + line);
        err.flush();
    }
}
