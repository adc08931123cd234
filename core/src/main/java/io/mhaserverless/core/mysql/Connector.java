package io.mhaserverless.core.mysql;

import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.exceptions.CJPacketTooBigException;
import com.mysql.cj.exceptions.SSLParamsException;
import com.mysql.cj.jdbc.exceptions.PacketTooBigException;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import java.io.IOException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Opens admin sessions to the servers of a cluster with short, bounded timeouts, and sorts every
 * failure into "dead" ({@link ServerUnreachableException}) or "alive but refusing"
 * ({@link ServerRefusedException}). The JDBC driver is MySQL Connector/J, for MySQL and MariaDB
 * alike; {@link #driverProperties} is the one place its settings are chosen.
 */
public final class Connector {

    /**
     * MHA's ALIVE_ERROR_CODES: the server answered with an error, so it is alive. 1040 too many
     * connections, 1042 bad host, 1043 bad handshake, 1044/1045 access denied, 1129 host blocked,
     * 1130 host not allowed, 1203 user connections, 1226 resource limit, 1251 auth protocol,
     * 1275 old-password auth.
     */
    static final Set<Integer> ALIVE_ERROR_CODES = Set.of(1040, 1042, 1043, 1044, 1045, 1129, 1130, 1203, 1226, 1251, 1275);

    /** What may stand between "jdbc:mysql://" and ":port": a name or an address, nothing the URL parser reads (',' would mean failover). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");

    private final String user;
    private final String password;
    private final Duration connectTimeout;
    private final Duration queryTimeout;
    private final TlsConfig tls;
    private final Optional<CaTrustStore> trustStore;

    /**
     * @throws ConfigException when a verifying TLS mode's CA cannot be read: before any server is asked
     */
    public Connector(String user, String password, Duration connectTimeout, Duration queryTimeout, TlsConfig tls) {
        this(user, password, connectTimeout, queryTimeout, tls,
                tls.mode().verifiesCertificate() ? Optional.of(CaTrustStore.of(tls.caCertificates())) : Optional.empty());
    }

    private Connector(String user, String password, Duration connectTimeout, Duration queryTimeout, TlsConfig tls,
                      Optional<CaTrustStore> trustStore) {
        this.user = user;
        this.password = password;
        this.connectTimeout = connectTimeout;
        this.queryTimeout = queryTimeout;
        this.tls = tls;
        this.trustStore = trustStore;
    }

    /**
     * The cluster's admin account with the config's timeouts and TLS. Queries get five connect timeouts
     * (at least 10 s): enough for SHOW statements on a busy server, bounded for a hung one.
     */
    public static Connector forCluster(ClusterConfig config) {
        Credentials c = config.credentials();
        String password = password(c);
        Duration query = config.connectTimeout().multipliedBy(5);
        return new Connector(c.user(), password, config.connectTimeout(),
                query.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : query, config.tls());
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
        return new Connector(user, password, connect, query, tls, trustStore);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public ServerSession open(ServerConfig server) throws ServerUnreachableException, ServerRefusedException {
        Connection connection = connect(server);
        try {
            // connected within the connect timeout; from here on every read may take the query timeout
            connection.setNetworkTimeout(Runnable::run, (int) millis(queryTimeout));
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

    /**
     * The driver's settings, chosen here and nowhere else (docs/design.md, "JDBC driver and
     * connection properties"):
     * <ul>
     *   <li>{@code connectTimeout}: the TCP connect. {@code socketTimeout} starts equal to it,
     *   because Connector/J's connect timeout ends with the TCP connect: a SIGSTOPped server whose
     *   kernel accepts the connection would otherwise keep us waiting for its greeting as long as a
     *   query may take. {@link #open} raises it to the query timeout once logged in.</li>
     *   <li>{@code autoReconnect=false}, one host per URL (no failover, load-balancing or replication
     *   URL): a lost connection is an answer (the server may be dead) and no statement is ever replayed
     *   on another connection; the failover is ours to make.</li>
     *   <li>{@code sslMode}: {@code tls.mode} of the cluster config, unchanged (default PREFERRED: a
     *   MariaDB without TLS still connects). The verifying modes trust exactly {@code tls.ca}
     *   ({@code fallbackToSystemTrustStore=false}: a public CA's certificate for the same name proves
     *   nothing about our servers).</li>
     *   <li>{@code allowPublicKeyRetrieval=false}, always. MySQL 8's caching_sha2_password sends the
     *   password over the TLS session when there is one (MySQL 8 offers TLS by default, and PREFERRED
     *   takes it); without TLS it would need the server's RSA key, and fetching that key over an
     *   unauthenticated link lets a man in the middle hand us his own and read the password. Such a
     *   login is refused with a message saying so (see {@link #classify}).</li>
     *   <li>{@code useServerPrepStmts=false}, {@code allowMultiQueries=false},
     *   {@code allowLoadLocalInfile=false}: one plain statement per call, as every statement here is,
     *   and a server cannot ask for our files.</li>
     *   <li>{@code characterEncoding=UTF-8} with {@code connectionCollation=utf8mb4_general_ci}: a
     *   collation both MySQL (5.7 to 9) and MariaDB know; left to itself the driver would ask a
     *   MariaDB for MySQL 8's utf8mb4_0900_ai_ci, which MariaDB does not have.</li>
     *   <li>No {@code Statement.setQueryTimeout}: Connector/J implements it with a timer thread and a
     *   second connection that sends KILL QUERY. The socket timeout bounds every read, and the waits
     *   that may take long carry their own server-side limit ({@link ServerSession#waitForGtids}).</li>
     * </ul>
     */
    static Properties driverProperties(String user, String password, Duration connectTimeout, TlsConfig tls,
                                       Optional<CaTrustStore> trustStore) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(millis(connectTimeout)));
        props.setProperty("socketTimeout", Long.toString(millis(connectTimeout)));
        props.setProperty("autoReconnect", "false");
        props.setProperty("sslMode", tls.mode().name());
        if (tls.mode().verifiesCertificate()) {
            CaTrustStore store = trustStore.orElseThrow(() -> new IllegalStateException("tls mode " + tls.mode() + " without a trust store"));
            props.setProperty("trustCertificateKeyStoreUrl", store.url());
            props.setProperty("trustCertificateKeyStoreType", "PKCS12");
            props.setProperty("trustCertificateKeyStorePassword", store.password());
            props.setProperty("fallbackToSystemTrustStore", "false");
        }
        props.setProperty("allowPublicKeyRetrieval", "false");
        props.setProperty("useServerPrepStmts", "false");
        props.setProperty("allowMultiQueries", "false");
        props.setProperty("allowLoadLocalInfile", "false");
        props.setProperty("characterEncoding", "UTF-8");
        props.setProperty("connectionCollation", "utf8mb4_general_ci");
        return props;
    }

    /** A single-host URL; the host is checked because the driver's URL syntax gives ',' and '(' a meaning. */
    static String jdbcUrl(ServerConfig server) {
        if (!HOST.matcher(server.host()).matches()) {
            throw new ConfigException(server.label() + ": host '" + server.host() + "' is not a host name or IP address");
        }
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        return "jdbc:mysql://" + host + ":" + server.port() + "/";
    }

    private Connection connect(ServerConfig server) throws ServerUnreachableException, ServerRefusedException {
        Properties props = driverProperties(user, password, connectTimeout, tls, trustStore);
        String url = jdbcUrl(server);
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

    /**
     * Dead or alive, from what Connector/J reports. Alive ("refused"): an error the server sent, a
     * name that does not resolve, a TLS set-up that cannot work with this server, a listener that
     * speaks something other than MySQL. Dead: everything else (refused TCP connect, timeouts, a link
     * closed before any greeting), which Connector/J reports as SQLState 08S01 with the I/O failure as cause.
     */
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
        Optional<String> tlsProblem = tlsProblem(e);
        if (tlsProblem.isPresent()) {
            return new ServerRefusedException(server.label() + ": " + tlsProblem.get(), 0, e);
        }
        String message = rootMessage(e);
        if (notMySql(e)) {
            return new ServerRefusedException(server.label() + ": not a MySQL or MariaDB server (" + message + ")", 0, e);
        }
        return new ServerUnreachableException(server.label() + ": cannot connect: " + message, e);
    }

    /** A TLS set-up that fails against a server that is there: retrying the same way would fail again. */
    private Optional<String> tlsProblem(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return Optional.of("TLS: the server's certificate does not pass tls.mode " + tls.mode() + " (" + t.getMessage() + ")");
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SSLParamsException) {
                return Optional.of("TLS: cannot set up tls.mode " + tls.mode() + " (" + m + ")");
            }
            // the server sent a TLS alert (no common protocol or cipher); a handshake cut short by an I/O failure is not this
            if (t instanceof SSLHandshakeException && !(t.getCause() instanceof IOException)) {
                return Optional.of("TLS: the handshake failed (" + m + ")");
            }
            if (m.contains("SSL Connection required, but not provided by server")) {
                return Optional.of("TLS: tls.mode is " + tls.mode() + " but the server offers no TLS");
            }
            if (m.contains("Public Key Retrieval is not allowed")) {
                return Optional.of("the account's caching_sha2_password login needs TLS, and the server offers none "
                        + "(enable TLS on the server; fetching its RSA key unauthenticated is refused: a man in the middle could read the password)");
            }
        }
        return Optional.empty();
    }

    /**
     * Something answered, but not with a MySQL greeting. A text protocol that talks first (SSH, SMTP)
     * has its first bytes read as a packet length of megabytes, which the driver refuses before
     * login; a short binary answer breaks the driver's parsing of the greeting. An I/O failure on
     * the way (refused, reset, timed out, closed) says nothing about what listens: dead, not this.
     */
    private static boolean notMySql(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PacketTooBigException || t instanceof CJPacketTooBigException) {
                return true;
            }
            if (t instanceof IOException) {
                return false;
            }
            if (t instanceof RuntimeException && !(t instanceof CJException)) {
                return true; // the driver's parser tripped over the bytes it got (e.g. an index out of bounds)
            }
        }
        return false;
    }

    private static long millis(Duration d) {
        return Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
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
