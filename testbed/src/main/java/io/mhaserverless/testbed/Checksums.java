package io.mhaserverless.testbed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code CHECKSUM TABLE} of every user table, per server: the test bed's definition of "the same data". */
public record Checksums(Map<String, Map<String, Long>> byServer) {

    private static final String USER_TABLES = "SELECT CONCAT('`', table_schema, '`.`', table_name, '`') FROM information_schema.tables"
            + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";

    static Checksums of(List<ServerNode> servers) {
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        for (ServerNode server : servers) {
            result.put(server.name(), checksum(server));
        }
        return new Checksums(result);
    }

    private static Map<String, Long> checksum(ServerNode server) {
        Map<String, Long> sums = new TreeMap<>();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(USER_TABLES)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("CHECKSUM TABLE " + table)) {
                    rs.next();
                    sums.put(table, rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(server + ": " + e.getMessage(), e);
        }
        return sums;
    }

    /** True when every server has the same tables with the same checksums. */
    public boolean consistent() {
        return byServer.values().stream().distinct().count() <= 1;
    }

    /** The tables whose checksum differs between servers (or that some server lacks), for a failure message. */
    public String differences() {
        TreeSet<String> tables = new TreeSet<>();
        byServer.values().forEach(m -> tables.addAll(m.keySet()));
        StringBuilder out = new StringBuilder();
        for (String table : tables) {
            Map<String, Long> perServer = new LinkedHashMap<>();
            byServer.forEach((server, sums) -> perServer.put(server, sums.get(table)));
            if (perServer.values().stream().distinct().count() > 1) {
                out.append(table).append(' ').append(perServer).append('\n');
            }
        }
        return out.isEmpty() ? "none" : out.toString();
    }
}
