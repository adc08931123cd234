package io.mhaserverless.core.mysql;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One result row by column label, case-insensitive: what a flavor parses. Tests build rows from
 * captured {@code SHOW ... \G} output with {@link #of(Map)}, so parsing is tested without a server.
 */
public final class Row {

    private final Map<String, String> values;

    private Row(Map<String, String> values) {
        this.values = values;
    }

    public static Row of(Map<String, String> values) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(values);
        return new Row(copy);
    }

    public static Row current(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i <= md.getColumnCount(); i++) {
            values.put(md.getColumnLabel(i), rs.getString(i));
        }
        return new Row(values);
    }

    public boolean has(String column) {
        return values.containsKey(column);
    }

    /** The column's value; empty when it is absent or NULL. */
    public Optional<String> get(String column) {
        return Optional.ofNullable(values.get(column));
    }

    public String text(String column) {
        return get(column).orElse("");
    }

    public long number(String column, long dflt) {
        return get(column).filter(v -> !v.isBlank()).map(Long::parseLong).orElse(dflt);
    }

    /** MySQL's boolean spellings: 1/0, ON/OFF, Yes/No. */
    public boolean flag(String column) {
        String v = text(column).trim();
        return v.equals("1") || v.equalsIgnoreCase("ON") || v.equalsIgnoreCase("YES") || v.equalsIgnoreCase("TRUE");
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
