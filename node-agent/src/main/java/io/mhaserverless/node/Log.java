package io.mhaserverless.node;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Human progress lines on stderr, stamped with the UTC time of day ({@code 13:09:02.123Z}), never
 * on stdout (stdout is the JSON result). UTC, formatted by hand: the local zone would cost every
 * agent call ~20 ms of time-zone data and formatter set-up at start, and UTC matches the Lambda's logs.
 */
final class Log implements Consumer<String> {

    private final PrintWriter err;
    private final String command;

    Log(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
    }

    @Override
    public void accept(String line) {
        err.println(stamp(System.currentTimeMillis()) + " [" + command + "] " + line);
        err.flush();
    }

    /** {@code HH:mm:ss.SSSZ} of this instant, in UTC. */
    static String stamp(long epochMillis) {
        long ms = Math.floorMod(epochMillis, 86_400_000L);
        StringBuilder s = new StringBuilder(13);
        two(s, ms / 3_600_000).append(':');
        two(s, ms / 60_000 % 60).append(':');
        two(s, ms / 1000 % 60).append('.');
        long milli = ms % 1000;
        s.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10));
        return s.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder s, long n) {
        return s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
