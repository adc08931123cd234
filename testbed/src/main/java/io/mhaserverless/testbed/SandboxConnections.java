package io.mhaserverless.testbed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * The test bed's one way to open a JDBC connection (MySQL Connector/J) to a sandbox server or to
 * the local writer endpoint. The test bed cannot use core's {@code mysql.Connector} (core depends
 * on the test bed, not the reverse), so it makes the same choices, written down in
 * docs/design.md ("JDBC driver and connection properties"), for servers that only ever listen on
 * loopback and have no TLS:
 * <ul>
 *   <li>every wait bounded: {@code connectTimeout} for the TCP connect, {@code socketTimeout} for
 *   every read, the greeting included (Connector/J's connect timeout does not cover the handshake);</li>
 *   <li>no automatic reconnect and no failover between hosts: a test that loses its server sees it;</li>
 *   <li>{@code sslMode=DISABLED}: sandbox servers have no certificate, and loopback needs none;</li>
 *   <li>no public-key retrieval: the sandbox accounts use mysql_native_password.</li>
 * </ul>
 */
public final class SandboxConnections {

    private SandboxConnections() {
    }

    public static String url(String host, int port) {
        return "jdbc:mysql://" + host + ":" + port + "/";
    }

    /** A connection as the sandbox admin. */
    public static Connection open(String host, int port, Duration connectTimeout, Duration socketTimeout) throws SQLException {
        return open(host, port, SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD, connectTimeout, socketTimeout);
    }

    /** A connection as another account (an application's, say), with the same choices. */
    public static Connection open(String host, int port, String user, String password, Duration connectTimeout, Duration socketTimeout)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        props.setProperty("autoReconnect", "false");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("allowPublicKeyRetrieval", "false");
        return DriverManager.getConnection(url(host, port), props);
    }
}
