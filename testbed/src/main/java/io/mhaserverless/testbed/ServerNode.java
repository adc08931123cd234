package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One real mariadbd process of a sandbox topology, with the faults a test can inflict on it. */
public final class ServerNode {

    static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));
    public static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    public enum State { RUNNING, PAUSED, STOPPED }

    private final String name;
    private final int serverId;
    private final Path dir;
    private final List<String> extraOptions;
    private final MariaDbInstallation mariadb;
    private int port;
    private Process process;
    private State state = State.STOPPED;

    ServerNode(MariaDbInstallation mariadb, String name, int serverId, Path dir, List<String> extraOptions) {
        this.mariadb = mariadb;
        this.name = name;
        this.serverId = serverId;
        this.dir = dir;
        this.extraOptions = List.copyOf(extraOptions);
    }

    public String name() {
        return name;
    }

    public int serverId() {
        return serverId;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    public State state() {
        return state;
    }

    public long pid() {
        return process.pid();
    }

    public String jdbcUrl() {
        return SandboxConnections.url(HOST, port);
    }

    @Override
    public String toString() {
        return name + "(" + HOST + ":" + port + ")";
    }

    /** First start: copies the template datadir, picks a free port (retrying if it is taken meanwhile). */
    void create(Path template) {
        DataDirTemplate.copyTo(template, dataDir());
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = freePort();
            writeCnf();
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                last = e;
                if (!errorLogContains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Starts mariadbd on its existing datadir (crash recovery after {@link #kill()}) and waits until it answers. */
    public synchronized void start() {
        if (state != State.STOPPED) {
            throw new IllegalStateException(this + " is already " + state);
        }
        try {
            process = new ProcessBuilder(mariadb.mariadbd().toString(), "--defaults-file=" + dir.resolve("my.cnf"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mariadbd.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + this, e);
        }
        ProcessRegistry.get().register(process.pid(), dir);
        state = State.RUNNING;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = connect(Duration.ofSeconds(1))) {
                // Another test JVM's server may have taken the port between freePort() and our bind,
                // and answer for us while ours exits with "Address already in use": make sure it is ours.
                if (ours(c)) {
                    return;
                }
                sleep(50);
                if (!process.isAlive()) {
                    ProcessRegistry.get().unregister(process.pid());
                    state = State.STOPPED;
                    throw new IllegalStateException(this + " exited during start-up: " + errorLogTail());
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IllegalStateException(this + ": another server answers on port " + port);
                }
            } catch (SQLException e) {
                if (!process.isAlive()) {
                    ProcessRegistry.get().unregister(process.pid());
                    state = State.STOPPED;
                    throw new IllegalStateException(this + " exited during start-up: " + errorLogTail());
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IllegalStateException(this + " did not answer within " + START_TIMEOUT + ": " + errorLogTail());
                }
                sleep(50);
            }
        }
    }

    private boolean ours(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT @@datadir")) {
            rs.next();
            return Path.of(rs.getString(1)).normalize().equals(dataDir().toAbsolutePath().normalize());
        }
    }

    /** SIGKILL: a crash. The datadir stays, so {@link #start()} runs crash recovery. */
    public synchronized void kill() {
        if (state == State.STOPPED) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM and wait for a clean shutdown. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        if (state == State.PAUSED) {
            resume();
        }
        process.destroy();
        awaitExit(STOP_TIMEOUT);
    }

    public synchronized void restart() {
        stop();
        start();
    }

    /** SIGSTOP: the process hangs, its sockets stay open; clients time out instead of being refused. */
    public synchronized void pause() {
        signal("STOP");
        state = State.PAUSED;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
        state = State.RUNNING;
    }

    private void signal(String signal) {
        if (state == State.STOPPED) {
            throw new IllegalStateException(this + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        ProcessRegistry.get().unregister(process.pid());
        state = State.STOPPED;
    }

    /** A new connection as the sandbox admin user. */
    public Connection connect() throws SQLException {
        return connect(Duration.ofSeconds(5));
    }

    private Connection connect(Duration timeout) throws SQLException {
        return SandboxConnections.open(HOST, port, timeout, Duration.ofSeconds(120));
    }

    /** Runs statements on a fresh connection; for test set-up, where a failure is a broken test. */
    public void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(this + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, or empty. */
    public Optional<String> queryString(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(this + ": " + e.getMessage(), e);
        }
    }

    /** One column of SHOW SLAVE STATUS (e.g. {@code Relay_Log_File}), or empty when this server is no replica. */
    public Optional<String> replicaStatus(String column) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? Optional.ofNullable(rs.getString(column)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(this + ": " + e.getMessage(), e);
        }
    }

    /** Lag on demand: the replica stops receiving while its master goes on. */
    public void stopIoThread() {
        execute("STOP SLAVE IO_THREAD");
    }

    public void startIoThread() {
        execute("START SLAVE IO_THREAD");
    }

    /** Makes the next received events land in a new relay-log file, so diffs span files. */
    public void flushRelayLogs() {
        execute("FLUSH RELAY LOGS");
    }

    private void writeCnf() {
        List<String> lines = new ArrayList<>(List.of(
                "[mariadbd]",
                "datadir=" + dataDir(),
                "socket=" + dir.resolve("mysql.sock"),
                "pid-file=" + dir.resolve("mariadbd.pid"),
                "log-error=" + errorLog(),
                "port=" + port,
                "bind-address=" + HOST,
                "server_id=" + serverId,
                "log_bin=" + dataDir().resolve("mysql-bin"),
                "log_slave_updates=ON",
                "relay_log=" + dataDir().resolve("relay-bin"),
                // MHA-style recovery reads old relay logs; the failover decides when they go.
                "relay_log_purge=OFF",
                "binlog_format=ROW",
                "gtid_strict_mode=ON",
                "gtid_domain_id=0",
                "slave_net_timeout=5",
                "skip_name_resolve=ON",
                // the harness (and later the failover) decides when replication runs
                "skip_slave_start=ON",
                "performance_schema=OFF",
                "innodb_buffer_pool_size=32M",
                "innodb_log_file_size=16M",
                // safe against SIGKILL (the page cache survives), which is the crash these tests inflict
                "innodb_flush_log_at_trx_commit=2",
                "sync_binlog=0",
                "max_connections=100"));
        if (RUNNING_AS_ROOT) {
            lines.add("user=root");
        }
        lines.addAll(extraOptions);
        try {
            Files.write(dir.resolve("my.cnf"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean errorLogContains(String text) {
        return errorLogTail().contains(text);
    }

    String errorLogTail() {
        try {
            if (!Files.exists(errorLog())) {
                return "(no error log)";
            }
            List<String> lines = Files.readAllLines(errorLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + errorLog() + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
