package io.mhaserverless.core.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.TestCertificates;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector/J with Connector's settings against real mariadbd: timeouts, MHA's alive errors, TLS modes. */
class ConnectorLiveTest {

    private static ServerConfig config(ServerNode n) {
        return new ServerConfig(n.name(), n.host(), n.port(), false, false, false, Optional.empty(), Optional.empty());
    }

    private static Connector admin(Duration connect, Duration query, TlsConfig tls) {
        return new Connector(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD, connect, query, tls);
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void aHungServerIsDeadAfterTheConnectTimeoutNotAfterTheQueryTimeout(Sandbox sandbox) {
        ServerNode replica = sandbox.node("db2");
        Connector connector = admin(Duration.ofSeconds(1), Duration.ofSeconds(60), TlsConfig.preferred());
        replica.pause();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> connector.open(config(replica))).isInstanceOf(ServerUnreachableException.class)
                    .hasMessageContaining("cannot connect").hasMessageContaining("Read timed out");
            // The kernel accepts for a stopped process; only the greeting never comes. Connector/J's own
            // connect timeout ends with the TCP connect, so without our socket timeout this took 60 s.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        } finally {
            replica.resume();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void afterTheLoginQueriesGetTheQueryTimeout(Sandbox sandbox) throws Exception {
        try (ServerSession s = admin(Duration.ofSeconds(1), Duration.ofSeconds(5), TlsConfig.preferred()).open(config(sandbox.master()))) {
            assertThat(s.queryRow("SELECT SLEEP(2) AS slept").map(r -> r.number("slept", -1))).as("longer than the connect timeout").contains(0L);
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void tooManyConnectionsIsARefusalSoTheServerIsAlive(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        // MariaDB's smallest max_connections is 10
        master.execute("CREATE USER 'app'@'%' IDENTIFIED BY 'app'", "SET GLOBAL max_connections = 10");
        Connector app = new Connector("app", "app", Duration.ofSeconds(2), Duration.ofSeconds(10), TlsConfig.preferred());
        List<ServerSession> held = new ArrayList<>();
        try {
            // an account without privileges gets no extra connection: the eleventh one at the latest is refused
            ServerRefusedException refused = null;
            while (refused == null && held.size() < 11) {
                try {
                    held.add(app.open(config(master)));
                } catch (ServerRefusedException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("refused within " + held.size() + " connections").isNotNull();
            assertThat(refused.errorCode()).isEqualTo(1040);
            assertThat(refused).hasMessage(master.name() + "(127.0.0.1:" + master.port() + "): too many connections");
        } finally {
            held.forEach(ServerSession::close);
            master.execute("SET GLOBAL max_connections = 100");
        }
    }

    /**
     * db1 has a certificate for 127.0.0.1 from the test CA, db2 one from the same CA for another
     * name, db3 no TLS at all (Debian's MariaDB 10.11 makes no certificate of its own).
     */
    @Nested
    class Tls {

        @TempDir
        static Path certs;

        static TestCertificates certificates;
        static Sandbox sandbox;

        @BeforeAll
        static void start() {
            certificates = TestCertificates.create(certs);
            sandbox = Sandbox.start(SandboxSpec.of(2, ReplicationMode.GTID)
                    .withOptions(1, certificates.serverOptions().toArray(String[]::new))
                    .withOptions(2, certificates.wrongNameOptions().toArray(String[]::new)));
        }

        @AfterAll
        static void stop() {
            if (sandbox != null) {
                sandbox.close();
            }
        }

        private static Connector with(TlsConfig.Mode mode, Path ca) {
            return admin(Duration.ofSeconds(2), Duration.ofSeconds(10), new TlsConfig(mode, Optional.ofNullable(ca).map(Path::toString)));
        }

        /** The session's cipher; empty without TLS. */
        private static String cipher(Connector connector, String server) throws Exception {
            try (ServerSession s = connector.open(config(sandbox.node(server)))) {
                return s.queryRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'").map(r -> r.text("Value")).orElseThrow();
            }
        }

        @Test
        void preferredTakesTlsWhereOfferedAndStillConnectsWhereNot() throws Exception {
            assertThat(cipher(with(TlsConfig.Mode.PREFERRED, null), "db1")).isNotBlank();
            assertThat(cipher(with(TlsConfig.Mode.PREFERRED, null), "db3")).as("a MariaDB without TLS").isEmpty();
        }

        @Test
        void disabledNeverUsesTls() throws Exception {
            assertThat(cipher(with(TlsConfig.Mode.DISABLED, null), "db1")).isEmpty();
        }

        @Test
        void requiredNeedsTlsButNoTrustedCertificate() throws Exception {
            assertThat(cipher(with(TlsConfig.Mode.REQUIRED, null), "db2")).isNotBlank();
            ServerNode db3 = sandbox.node("db3");
            assertThatThrownBy(() -> with(TlsConfig.Mode.REQUIRED, null).open(config(db3)))
                    .isInstanceOf(ServerRefusedException.class)
                    .hasMessage("db3(127.0.0.1:" + db3.port() + "): TLS: tls.mode is REQUIRED but the server offers no TLS");
        }

        @Test
        void verifyCaAcceptsExactlyTheConfiguredCa() throws Exception {
            assertThat(cipher(with(TlsConfig.Mode.VERIFY_CA, certificates.ca()), "db1")).isNotBlank();
            assertThat(cipher(with(TlsConfig.Mode.VERIFY_CA, certificates.ca()), "db2")).as("any name will do").isNotBlank();
            ServerNode db1 = sandbox.node("db1");
            assertThatThrownBy(() -> with(TlsConfig.Mode.VERIFY_CA, certificates.otherCa()).open(config(db1)))
                    .isInstanceOf(ServerRefusedException.class)
                    .hasMessageStartingWith("db1(127.0.0.1:" + db1.port() + "): TLS: the server's certificate does not pass tls.mode VERIFY_CA (");
        }

        @Test
        void verifyIdentityAlsoChecksTheName() throws Exception {
            assertThat(cipher(with(TlsConfig.Mode.VERIFY_IDENTITY, certificates.ca()), "db1")).isNotBlank();
            ServerNode db2 = sandbox.node("db2");
            assertThatThrownBy(() -> with(TlsConfig.Mode.VERIFY_IDENTITY, certificates.ca()).open(config(db2)))
                    .isInstanceOf(ServerRefusedException.class)
                    .hasMessageStartingWith("db2(127.0.0.1:" + db2.port() + "): TLS: the server's certificate does not pass tls.mode VERIFY_IDENTITY (")
                    .hasMessageContaining("127.0.0.1");
        }

        @Test
        void theClusterConfigsTlsReachesTheDriver() throws Exception {
            ClusterConfig config = ConfigLoader.parseYaml(SandboxConfig.yaml("t", sandbox,
                    List.of("tls: {mode: VERIFY_IDENTITY, ca: " + certificates.ca() + "}"), n -> ""), "t.yaml");
            Connector connector = Connector.forCluster(config);

            try (ServerSession s = connector.open(config.requireServer("db1"))) {
                assertThat(s.queryRow("SHOW SESSION STATUS LIKE 'Ssl_version'").map(r -> r.text("Value")).orElseThrow()).startsWith("TLSv1.");
            }
            assertThatThrownBy(() -> connector.open(config.requireServer("db3"))).isInstanceOf(ServerRefusedException.class)
                    .hasMessageEndingWith("TLS: tls.mode is VERIFY_IDENTITY but the server offers no TLS");
        }
    }
}
