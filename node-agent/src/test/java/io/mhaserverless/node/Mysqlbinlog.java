package io.mhaserverless.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mariadb-binlog as an independent oracle: its "# at" offsets and header lines, paired first in,
 * first out (it prints "# at" lines in batches before Annotate_rows / Table_map headers).
 */
final class Mysqlbinlog {

    record Event(long at, long serverId, long endLogPos, String text) {
    }

    private static final Pattern AT = Pattern.compile("^# at (\\d+)$");
    private static final Pattern HEADER = Pattern.compile("^#\\d{6} +\\d+:\\d+:\\d+ server id (\\d+) +end_log_pos (\\d+) (.*)$");

    private Mysqlbinlog() {
    }

    static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("mariadb-binlog", "--no-defaults", "--base64-output=decode-rows"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Event> events(String output) {
        Deque<Long> at = new ArrayDeque<>();
        List<Event> events = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher a = AT.matcher(line);
            if (a.matches()) {
                at.add(Long.parseLong(a.group(1)));
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches() && !at.isEmpty()) {
                events.add(new Event(at.poll(), Long.parseLong(h.group(1)), Long.parseLong(h.group(2)), h.group(3)));
            }
        }
        return events;
    }

    static List<Event> events(Path file) {
        return events(run(file.toString()));
    }
}
