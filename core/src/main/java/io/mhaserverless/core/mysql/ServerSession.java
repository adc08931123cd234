package io.mhaserverless.core.mysql;

import io.mhaserverless.core.config.ServerConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An admin connection to one server, speaking through the server's {@link Flavor}. Read methods
 * change nothing; each write method is one replication action, named for what it does.
 */
public final class ServerSession implements AutoCloseable {

    private final ServerConfig server;
    private final Connection connection;
    private final Flavor flavor;

    ServerSession(ServerConfig server, Connection connection, Flavor flavor) {
        this.server = server;
        this.connection = connection;
        this.flavor = flavor;
    }

    public ServerConfig server() {
        return server;
    }

    public Flavor flavor() {
        return flavor;
    }

    public ServerFacts facts() throws SQLException {
        return flavor.parseServerFacts(queryRow(flavor.serverFactsQuery())
                .orElseThrow(() -> new SQLException(server.label() + ": no result for the server variables")));
    }

    /** Empty when the server is not a replica (no row, or a row without a source after RESET SLAVE). */
    public Optional<ReplicaStatus> replicaStatus() throws SQLException {
        return queryRow(flavor.showReplicaStatus()).map(flavor::parseReplicaStatus).filter(s -> !s.sourceHost().isBlank());
    }

    /** What this replica has heard from its source so far; empty when it is no replica. */
    public Optional<SourceContact> sourceContact() throws SQLException {
        return queryRow(flavor.sourceContactQuery()).map(flavor::parseSourceContact);
    }

    /** Empty when binary logging is off. */
    public Optional<BinlogStatus> binlogStatus() throws SQLException {
        return queryRow(flavor.showBinlogStatus()).map(flavor::parseBinlogStatus);
    }

    public void setRelayLogPurge(boolean on) throws SQLException {
        execute(flavor.setRelayLogPurge(on));
    }

    public void flushRelayLogs() throws SQLException {
        execute(flavor.flushRelayLogs());
    }

    /** Waits up to {@code timeout} until the server has applied {@code gtids}; false on timeout. */
    public boolean waitForGtids(GtidSet gtids, Duration timeout) throws SQLException {
        OptionalLong result = waitQuery(flavor.waitForGtids(gtids, timeout), timeout);
        return result.isPresent() && flavor.gtidWaitSucceeded(result.getAsLong());
    }

    /** Waits up to {@code timeout} until the replica applied its source's binlog up to {@code position}; false otherwise. */
    public boolean waitForPosition(BinlogCoordinates position, Duration timeout) throws SQLException {
        OptionalLong result = waitQuery(flavor.waitForPosition(position, timeout), timeout);
        return result.isPresent() && result.getAsLong() >= 0;
    }

    /**
     * A single-value SELECT that may block for {@code timeout}; empty when it returns NULL. The
     * statement carries its own server-side limit (MASTER_GTID_WAIT and friends take one); the
     * socket timeout, raised for the wait, bounds a server that stops answering. No
     * Statement.setQueryTimeout: Connector/J would run a timer thread and a second connection for it.
     */
    private OptionalLong waitQuery(Sql sql, Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement(); LongWait ignored = new LongWait(timeout)) {
            try (ResultSet rs = s.executeQuery(sql.text())) {
                rs.next();
                long result = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(result);
            }
        }
    }

    public void execute(Sql sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql.text());
        } catch (SQLException e) {
            // the driver's message may quote the statement; never let it carry a password
            throw new SQLException(server.label() + ": " + sql.loggable() + ": " + e.getMessage().replace(sql.text(), sql.loggable()),
                    e.getSQLState(), e.getErrorCode());
        }
    }

    public void execute(String sql) throws SQLException {
        execute(Sql.plain(sql));
    }

    public Optional<Row> queryRow(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.of(Row.current(rs)) : Optional.empty();
        }
    }

    public java.util.List<Row> queryRows(String sql) throws SQLException {
        java.util.List<Row> rows = new java.util.ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(Row.current(rs));
            }
        }
        return rows;
    }

    /**
     * The session's socket timeout bounds ordinary queries (a hung server must not hang us); a wait
     * that may legitimately take {@code timeout} gets that much, plus slack, and the old bound back after.
     */
    private final class LongWait implements AutoCloseable {
        private final int previous;

        LongWait(Duration timeout) throws SQLException {
            previous = connection.getNetworkTimeout();
            int wanted = (int) Math.min(Integer.MAX_VALUE, timeout.plusSeconds(10).toMillis());
            if (previous != 0 && previous < wanted) {
                connection.setNetworkTimeout(Runnable::run, wanted);
            }
        }

        @Override
        public void close() throws SQLException {
            if (!connection.isClosed() && connection.getNetworkTimeout() != previous) {
                connection.setNetworkTimeout(Runnable::run, previous);
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the session is over either way
        }
    }
}
