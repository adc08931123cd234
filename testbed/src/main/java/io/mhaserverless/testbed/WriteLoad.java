package io.mhaserverless.testbed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing as fast as it can: one row per autocommit transaction, every id the
 * server acknowledged remembered — what a failover is measured against. With {@code reconnect}
 * it retries a broken connection every 100 ms (an application behind a writer endpoint that
 * moves); without, it stops at the first error (nothing more to write once the master is dead).
 */
public final class WriteLoad implements AutoCloseable {

    public static final String TABLE = "demo.orders";

    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicLong failedAttempts = new AtomicLong();
    private final String host;
    private final int port;
    private final boolean reconnect;
    private final Thread thread;
    private volatile boolean running = true;

    public WriteLoad(String host, int port, boolean reconnect) {
        this.reconnect = reconnect;
        this.host = host;
        this.port = port;
        thread = new Thread(this::run, "demo-write-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the table on the master before the load starts. */
    public static void createTable(String host, int port) throws SQLException {
        try (Connection c = SandboxConnections.open(host, port, Duration.ofSeconds(5), Duration.ofSeconds(30));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS demo");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, item VARCHAR(64), at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))");
        }
    }

    private void run() {
        while (running) {
            try (Connection c = SandboxConnections.open(host, port, Duration.ofSeconds(1), Duration.ofSeconds(2));
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, item) VALUES (?, 'order')")) {
                while (running) {
                    long id = next.getAndIncrement();
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    acknowledged.add(id);
                }
            } catch (SQLException e) {
                failedAttempts.incrementAndGet();
                if (!reconnect) {
                    return;
                }
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public Set<Long> acknowledged() {
        return acknowledged;
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Acknowledged ids that are missing on the server at host:port. */
    public long missingOn(String host, int port) throws SQLException {
        Set<Long> present = ConcurrentHashMap.newKeySet();
        try (Connection c = SandboxConnections.open(host, port, Duration.ofSeconds(5), Duration.ofSeconds(30));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        return acknowledged.stream().filter(id -> !present.contains(id)).count();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
