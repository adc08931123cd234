package io.mhaserverless.testbed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing as fast as it can: rows in transactions of one (autocommit) or more
 * rows, every id the server acknowledged remembered with when, and each row tagged with the
 * {@code @@server_id} that wrote it — what a failover or switchover is measured against. With
 * {@code reconnect} it retries a broken connection every 100 ms (an application behind a writer
 * endpoint that moves); without, it stops at the first error (nothing more to write once the
 * master is dead).
 */
public final class WriteLoad implements AutoCloseable {

    public static final String TABLE = "demo.orders";

    /** One acknowledged row: its id and when its commit returned ({@link System#nanoTime()}). */
    public record Ack(long id, long atNanos) {
    }

    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicLong failedAttempts = new AtomicLong();
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final int rowsPerTransaction;
    private final boolean reconnect;
    private final Thread thread;
    private volatile boolean running = true;

    /** The admin account, one row per autocommit transaction. */
    public WriteLoad(String host, int port, boolean reconnect) {
        this(host, port, reconnect, SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD, 1, 1);
    }

    /**
     * @param user               an application account: read_only stops it only without SUPER / READ_ONLY ADMIN
     *                           (see {@link #createAppUser})
     * @param rowsPerTransaction 1: autocommit; more: that many INSERTs, then COMMIT
     * @param firstId            where this load's ids start: loads that run together need ranges of their own
     */
    public WriteLoad(String host, int port, boolean reconnect, String user, String password, int rowsPerTransaction, long firstId) {
        if (rowsPerTransaction < 1) {
            throw new IllegalArgumentException("rowsPerTransaction must be at least 1, was " + rowsPerTransaction);
        }
        this.reconnect = reconnect;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.rowsPerTransaction = rowsPerTransaction;
        this.next.set(firstId);
        thread = new Thread(this::run, "demo-write-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the table on the master before the load starts. */
    public static void createTable(String host, int port) throws SQLException {
        try (Connection c = admin(host, port); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS demo");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, item VARCHAR(64), at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))");
        }
    }

    /** An account that may only read and write the demo tables, as an application's should: read_only holds it back. */
    public static void createAppUser(String host, int port, String user, String password) throws SQLException {
        try (Connection c = admin(host, port); Statement s = c.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON demo.* TO '" + user + "'@'%'");
        }
    }

    private static Connection admin(String host, int port) throws SQLException {
        return SandboxConnections.open(host, port, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private void run() {
        while (running) {
            try (Connection c = SandboxConnections.open(host, port, user, password, Duration.ofSeconds(1), Duration.ofSeconds(2));
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                         + " (id, item) VALUES (?, CONCAT('order@', @@server_id))")) {
                c.setAutoCommit(rowsPerTransaction == 1);
                while (running) {
                    long[] ids = new long[rowsPerTransaction];
                    for (int i = 0; i < rowsPerTransaction; i++) {
                        ids[i] = next.getAndIncrement();
                        ps.setLong(1, ids[i]);
                        ps.executeUpdate();
                    }
                    if (rowsPerTransaction > 1) {
                        c.commit();
                    }
                    long at = System.nanoTime();
                    for (long id : ids) {
                        acknowledged.add(id);
                        acks.add(new Ack(id, at));
                    }
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

    /** Every acknowledgement so far, in the order the commits returned. */
    public List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Acknowledged ids that are missing on the server at host:port. */
    public long missingOn(String host, int port) throws SQLException {
        // what was acknowledged before the rows are read: a row acknowledged later is not missing from an earlier read
        Set<Long> asked = Set.copyOf(acknowledged);
        Set<Long> present = ConcurrentHashMap.newKeySet();
        try (Connection c = admin(host, port); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        return asked.stream().filter(id -> !present.contains(id)).count();
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
