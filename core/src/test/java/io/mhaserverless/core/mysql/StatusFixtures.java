package io.mhaserverless.core.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code mysql} client's vertical ({@code \G}) output, as kept under
 * {@code src/test/resources/fixtures/}, into {@link Row}s the way JDBC would deliver them:
 * {@code NULL} becomes an absent value, an empty value stays empty, and a value ending in a comma
 * (a GTID set) continues on the following lines, joined with the newline the server sent.
 */
final class StatusFixtures {

    private static final Pattern ROW_HEADER = Pattern.compile("^\\*+ \\d+\\. row \\*+$");
    private static final Pattern COLUMN = Pattern.compile("^\\s*([A-Za-z_@][A-Za-z0-9_@.]*):(?: (.*))?$");
    private static final Pattern FOOTER = Pattern.compile("^(\\d+ rows? in set.*|Empty set.*)$");

    private StatusFixtures() {
    }

    /** The only row of {@code fixtures/<name>}. */
    static Row row(String name) {
        List<Map<String, String>> rows = columns(name);
        if (rows.size() != 1) {
            throw new IllegalStateException(name + ": expected 1 row, found " + rows.size());
        }
        return Row.of(rows.get(0));
    }

    /** Every row of {@code fixtures/<name>}, each column to its value ({@code null} for NULL), in file order. */
    static List<Map<String, String>> columns(String name) {
        try (InputStream in = StatusFixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> rows = new ArrayList<>();
        Map<String, String> current = null;
        String last = null;
        int lineNo = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (line.startsWith("mysql>") || line.startsWith("MariaDB [") || FOOTER.matcher(line).matches()
                    || (line.isBlank() && (last == null || !current.get(last).endsWith(",")))) {
                continue;
            }
            if (ROW_HEADER.matcher(line).matches()) {
                current = new LinkedHashMap<>();
                rows.add(current);
                last = null;
                continue;
            }
            if (current == null) {
                throw new IllegalArgumentException("line " + lineNo + ": text before the first row header: " + line);
            }
            String previous = last == null ? null : current.get(last);
            if (previous != null && previous.endsWith(",")) {
                current.put(last, previous + "\n" + line.strip());
                continue;
            }
            Matcher m = COLUMN.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + lineNo + ": not 'Column: value': " + line);
            }
            last = m.group(1);
            if (current.containsKey(last)) {
                throw new IllegalArgumentException("line " + lineNo + ": column " + last + " twice in one row");
            }
            current.put(last, m.group(2) == null ? "" : m.group(2));
        }
        for (Map<String, String> row : rows) {
            row.replaceAll((column, value) -> value.equals("NULL") ? null : value);
        }
        return rows;
    }
}
