package io.mhaserverless.core.failover;

import io.mhaserverless.testbed.SandboxCredentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client inserting one row per autocommit transaction as fast as it can, remembering every id
 * the server acknowledged: what a failover test measures loss against.
 */
final class WriteLoad implements AutoCloseable {

    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong next = new AtomicLong(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile SQLException lastError;

    WriteLoad(String host, int port) {
        thread = new Thread(() -> run(host, port), "write-load");
        thread.setDaemon(true);
        thread.start();
    }

    static void createTable(io.mhaserverless.testbed.ServerNode master) {
        master.execute("CREATE DATABASE IF NOT EXISTS app",
                "CREATE TABLE IF NOT EXISTS app.load (id BIGINT PRIMARY KEY, payload VARCHAR(64))");
    }

    private void run(String host, int port) {
        String url = "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=1000&socketTimeout=2000";
        while (running) {
            try (Connection c = DriverManager.getConnection(url, SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO app.load VALUES (?, REPEAT('x', 60))")) {
                while (running) {
                    long id = next.getAndIncrement();
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    acknowledged.add(id);
                }
            } catch (SQLException e) {
                lastError = e;
                return; // the master is gone; a failover test does not write to the dead one again
            }
        }
    }

    long attempted() {
        return next.get() - 1;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
