package io.mhaserverless.core.mysql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's {@code SELECT VERSION()}, e.g. {@code 10.11.19-MariaDB-0+deb12u1-log} or {@code 8.4.3}. */
public record ServerVersion(String text, boolean mariaDb, int major, int minor, int patch) implements Comparable<ServerVersion> {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String text) {
        if (text == null) {
            throw new UnsupportedServerException("the server reported no version");
        }
        boolean mariaDb = text.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
        // MariaDB once prefixed its handshake version with "5.5.5-" to keep old clients happy
        Matcher m = NUMBERS.matcher(mariaDb ? text.replaceFirst("^5\\.5\\.5-", "") : text);
        if (!m.find()) {
            throw new UnsupportedServerException("not a MySQL or MariaDB version: '" + text + "'");
        }
        return new ServerVersion(text, mariaDb, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ServerVersion("", mariaDb, major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(ServerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c == 0 ? Integer.compare(patch, o.patch) : c;
    }

    @Override
    public String toString() {
        return text;
    }
}
