package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.PingType;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One ping of the master, as {@code pingType} says (MHA's HealthCheck: SELECT on a kept session,
 * CONNECT anew each time, or INSERT into a heartbeat table), bounded by {@code pingInterval} so the
 * loop never falls behind. A server that answers with an error (too many connections, access
 * denied) is alive: a busy master must never be failed over.
 */
final class Ping implements AutoCloseable {

    enum Outcome { ALIVE, REFUSED, FAILED }

    /**
     * @param binlog   the master's binlog position when it answered (file:pos), if read
     * @param serverId its server_id, so replicas that reach it by another address are recognised
     */
    record Result(Outcome outcome, long millis, String detail, Optional<String> binlog, OptionalLong serverId) {
        boolean answered() {
            return outcome != Outcome.FAILED;
        }
    }

    private final PingType type;
    private final Connector connector;
    private final Clock clock;
    private ServerSession kept;

    Ping(ClusterConfig config, Clock clock) {
        this.type = config.pingType();
        this.clock = clock;
        // A ping may take no longer than the interval, or the loop would fall behind (MHA kills the child).
        this.connector = Connector.forCluster(config).withTimeouts(config.pingInterval(), config.pingInterval());
    }

    Result ping(ServerConfig master) {
        long start = clock.millis();
        ServerSession session = kept;
        if (session == null) {
            try {
                session = connector.open(master);
            } catch (ServerRefusedException e) {
                return new Result(Outcome.REFUSED, clock.millis() - start, e.getMessage(), Optional.empty(), OptionalLong.empty());
            } catch (ServerUnreachableException e) {
                return new Result(Outcome.FAILED, clock.millis() - start, e.getMessage(), Optional.empty(), OptionalLong.empty());
            }
        }
        try {
            if (type == PingType.INSERT) {
                session.execute("CREATE DATABASE IF NOT EXISTS infra");
                session.execute("CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL PRIMARY KEY,"
                        + " val int(10) unsigned NOT NULL DEFAULT '0')");
                session.execute("INSERT INTO infra.chk_masterha VALUES (1, UNIX_TIMESTAMP()) ON DUPLICATE KEY UPDATE val = UNIX_TIMESTAMP()");
            } else {
                session.queryRow("SELECT 1");
            }
            Optional<String> binlog = session.binlogStatus().map(b -> b.current().toString());
            OptionalLong serverId = OptionalLong.of(session.facts().serverId());
            keep(session);
            return new Result(Outcome.ALIVE, clock.millis() - start, "", binlog, serverId);
        } catch (SQLException e) {
            session.close();
            kept = null;
            // An error the server itself sent (errno > 0, not a lost connection) means it is alive.
            boolean answered = e.getErrorCode() > 0 && (e.getSQLState() == null || !e.getSQLState().startsWith("08"));
            return new Result(answered ? Outcome.REFUSED : Outcome.FAILED, clock.millis() - start,
                    (e.getErrorCode() > 0 ? "error " + e.getErrorCode() + ": " : "") + e.getMessage(), Optional.empty(), OptionalLong.empty());
        }
    }

    private void keep(ServerSession session) {
        if (type == PingType.SELECT) {
            kept = session;
        } else {
            session.close();
        }
    }

    @Override
    public void close() {
        if (kept != null) {
            kept.close();
            kept = null;
        }
    }
}
