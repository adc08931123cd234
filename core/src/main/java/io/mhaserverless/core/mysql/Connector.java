package io.mhaserverless.core.mysql;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.config.ServerConfig;
import java.util.Optional;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * Opens admin sessions to the servers of a cluster with short, bounded timeouts, and sorts every
 * failure into "dead" ({@link ServerUnreachableException}) or "alive but refusing"
 * ({@link ServerRefusedException}).
 */
public final class Connector {

    /**
     * MHA's ALIVE_ERROR_CODES: the server answered with an error, so it is alive. 1040 too many
     * connections, 1042 bad host, 1043 bad handshake, 1044/1045 access denied, 1129 host blocked,
     * 1130 host not allowed, 1203 user connections, 1226 resource limit, 1251 auth protocol,
     * 1275 old-password auth.
     */
    static final Set<Integer> ALIVE_ERROR_CODES = Set.of(1040, 1042, 1043, 1044, 1045, 1129, 1130, 1203, 1226, 1251, 1275);

    private final String user;
    private final String password;
    private final Duration connectTimeout;
    private final Duration queryTimeout;

    public Connector(String user, String password, Duration connectTimeout, Duration queryTimeout) {
        this.user = user;
        this.password = password;
        this.connectTimeout = connectTimeout;
        this.queryTimeout = queryTimeout;
    }

    /**
     * The cluster's admin account with the config's timeouts. Queries get five connect timeouts
     * (at least 10 s): enough for SHOW statements on a busy server, bounded for a hung one.
     */
    public static Connector forCluster(ClusterConfig config) {
        Credentials c = config.credentials();
        String password = password(c);
        Duration query = config.connectTimeout().multipliedBy(5);
        return new Connector(c.user(), password, config.connectTimeout(),
                query.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : query);
    }

    /** The password of an account: inline, else MHA_PASSWORD from the environment, else empty. */
    public static String password(Credentials c) {
        if (c.password().isEmpty() && c.secretId().isPresent()) {
            throw new ConfigException("credentialsSecret " + c.secretId().get()
                    + " needs AWS Secrets Manager, which this runtime does not read: give password (or MHA_PASSWORD) instead");
        }
        return c.password().or(() -> Optional.ofNullable(System.getenv("MHA_PASSWORD"))).orElse("");
    }

    /** The same account with other timeouts, e.g. a ping that must not outlast its interval. */
    public Connector withTimeouts(Duration connect, Duration query) {
        return new Connector(user, password, connect, query);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public ServerSession open(ServerConfig server) throws ServerUnreachableException, ServerRefusedException {
        Connection connection = connect(server);
        try {
            String version;
            try (var s = connection.createStatement(); var rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            return new ServerSession(server, connection, Flavor.of(version));
        } catch (SQLException e) {
            close(connection);
            throw new ServerUnreachableException(server.label() + ": lost the connection: " + e.getMessage(), e);
        } catch (UnsupportedServerException e) {
            close(connection);
            throw new ServerRefusedException(server.label() + ": " + e.getMessage(), 0, e);
        }
    }

    private Connection connect(ServerConfig server) throws ServerUnreachableException, ServerRefusedException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("socketTimeout", Long.toString(queryTimeout.toMillis()));
        // MySQL 8's caching_sha2_password without TLS needs the server's RSA key
        props.setProperty("allowPublicKeyRetrieval", "true");
        String url = "jdbc:mariadb://" + server.host() + ":" + server.port() + "/";
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            Exception failure = classify(server, e);
            if (failure instanceof ServerRefusedException refused) {
                throw refused;
            }
            throw (ServerUnreachableException) failure;
        }
    }

    private Exception classify(ServerConfig server, SQLException e) {
        if (ALIVE_ERROR_CODES.contains(e.getErrorCode())) {
            String what = switch (e.getErrorCode()) {
                case 1044, 1045 -> "access denied for user '" + user + "' (check user and password)";
                case 1040 -> "too many connections";
                case 1129 -> "this host is blocked by the server (FLUSH HOSTS)";
                case 1130 -> "this host is not allowed to connect";
                default -> "refused the login (error " + e.getErrorCode() + ")";
            };
            return new ServerRefusedException(server.label() + ": " + what, e.getErrorCode(), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new ServerRefusedException(server.label() + ": unknown host '" + server.host() + "'", 0, e);
            }
        }
        String message = rootMessage(e);
        if (looksLikeProtocolMismatch(e)) {
            return new ServerRefusedException(server.label() + ": not a MySQL or MariaDB server (" + message + ")", 0, e);
        }
        return new ServerUnreachableException(server.label() + ": cannot connect: " + message, e);
    }

    private static boolean looksLikeProtocolMismatch(SQLException e) {
        // The driver reports a greeting it cannot parse as a 08000 error about the packet or protocol.
        String all = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT)
                + (e.getCause() == null ? "" : " " + String.valueOf(e.getCause().getMessage()).toLowerCase(java.util.Locale.ROOT));
        return all.contains("unexpected") || all.contains("protocol") || all.contains("packet") || all.contains("malformed");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replaceAll("\\s+", " ").trim();
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection we are abandoning anyway
        }
    }
}
