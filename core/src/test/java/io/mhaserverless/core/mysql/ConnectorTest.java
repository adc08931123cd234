package io.mhaserverless.core.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.testbed.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The driver settings Connector chooses, and how it reads the driver's failures, without a MySQL
 * server: the properties themselves, and listeners on loopback that speak just enough (or
 * something else entirely). ConnectorLiveTest runs the same choices against real mariadbd.
 */
class ConnectorTest {

    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration QUERY = Duration.ofSeconds(20);

    private static ServerConfig server(String host, int port) {
        return new ServerConfig("db9", host, port, false, false, false, Optional.empty(), Optional.empty());
    }

    private static Connector connector(TlsConfig tls) {
        return new Connector("mha", "s3cret", CONNECT, QUERY, tls);
    }

    @Test
    void everyWaitIsBoundedAndNothingReconnectsOrFailsOver() {
        Properties p = Connector.driverProperties("mha", "s3cret", CONNECT, TlsConfig.preferred(), Optional.empty());

        assertThat(p.getProperty("connectTimeout")).isEqualTo("2000");
        assertThat(p.getProperty("socketTimeout")).as("bounds the greeting too; raised to the query timeout after login").isEqualTo("2000");
        assertThat(p.getProperty("autoReconnect")).isEqualTo("false");
        assertThat(p.getProperty("allowMultiQueries")).isEqualTo("false");
        assertThat(p.getProperty("useServerPrepStmts")).isEqualTo("false");
        assertThat(p.getProperty("allowLoadLocalInfile")).isEqualTo("false");
        assertThat(p.getProperty("connectionCollation")).isEqualTo("utf8mb4_general_ci");
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.toLowerCase(java.util.Locale.ROOT).contains("failover")
                || k.toLowerCase(java.util.Locale.ROOT).contains("loadbalance") || k.equals("queryTimeout"));
        assertThat(Connector.jdbcUrl(server("10.0.1.11", 3306))).isEqualTo("jdbc:mysql://10.0.1.11:3306/");
    }

    @ParameterizedTest
    @EnumSource(value = TlsConfig.Mode.class, names = {"DISABLED", "PREFERRED", "REQUIRED"})
    void theConfiguredModeIsTheDriversSslModeAndNoCaIsTrusted(TlsConfig.Mode mode) {
        Properties p = Connector.driverProperties("mha", "s3cret", CONNECT, new TlsConfig(mode, Optional.empty()), Optional.empty());

        assertThat(p.getProperty("sslMode")).isEqualTo(mode.name());
        assertThat(p.getProperty("allowPublicKeyRetrieval")).isEqualTo("false");
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("trustCertificateKeyStore"));
    }

    @ParameterizedTest
    @EnumSource(value = TlsConfig.Mode.class, names = {"VERIFY_CA", "VERIFY_IDENTITY"})
    void theVerifyingModesTrustExactlyTheConfiguredCa(TlsConfig.Mode mode, @TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        TlsConfig tls = new TlsConfig(mode, Optional.of(certificates.ca().toString()));
        CaTrustStore store = CaTrustStore.of(tls.caCertificates());

        Properties p = Connector.driverProperties("mha", "s3cret", CONNECT, tls, Optional.of(store));

        assertThat(p.getProperty("sslMode")).isEqualTo(mode.name());
        assertThat(p.getProperty("allowPublicKeyRetrieval")).as("caching_sha2_password goes over the verified TLS session").isEqualTo("false");
        assertThat(p.getProperty("fallbackToSystemTrustStore")).isEqualTo("false");
        assertThat(p.getProperty("trustCertificateKeyStoreType")).isEqualTo("PKCS12");
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.net.URI.create(p.getProperty("trustCertificateKeyStoreUrl")).toURL().openStream()) {
            loaded.load(in, p.getProperty("trustCertificateKeyStorePassword").toCharArray());
        }
        assertThat(Collections.list(loaded.aliases())).hasSize(1)
                .allSatisfy(alias -> assertThat(loaded.getCertificate(alias)).isEqualTo(tls.caCertificates().get(0)));
        assertThat(CaTrustStore.of(tls.caCertificates())).as("one store per CA and JVM").isSameAs(store);
        assertThat(Files.getPosixFilePermissions(store.file()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aCaThatCannotBeReadFailsBeforeAnyServerIsAsked(@TempDir Path dir) {
        TlsConfig tls = new TlsConfig(TlsConfig.Mode.VERIFY_CA, Optional.of(dir.resolve("gone.pem").toString()));

        assertThatThrownBy(() -> connector(tls)).isInstanceOf(ConfigException.class).hasMessage("tls.ca: no such file: " + dir.resolve("gone.pem"));
    }

    @Test
    void aHostTheUrlWouldReadAsSeveralHostsIsRefusedAndIpv6IsBracketed() {
        assertThatThrownBy(() -> Connector.jdbcUrl(server("db1,db2", 3306))).isInstanceOf(ConfigException.class)
                .hasMessage("db9(db1,db2:3306): host 'db1,db2' is not a host name or IP address");
        assertThat(Connector.jdbcUrl(server("fd00::11", 3306))).isEqualTo("jdbc:mysql://[fd00::11]:3306/");
    }

    /** A loopback listener that runs {@code conversation} for each client, in a thread of its own. */
    private static final class Listener implements AutoCloseable {
        final ServerSocket socket;

        Listener(Consumer<Socket> conversation) throws IOException {
            socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        client.setSoTimeout(10_000);
                        conversation.accept(client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aListenerThatAnswersWithShortBinaryIsNotAMySqlServer() throws Exception {
        try (Listener l = new Listener(c -> {
            try (c; OutputStream out = c.getOutputStream()) {
                out.write(new byte[]{5, 0, 0, 0, 7, 'h', 'e', 'l', 'o'});
                out.flush();
                Thread.sleep(2_000);
            } catch (IOException | InterruptedException ignored) {
                // the client hung up
            }
        })) {
            assertThatThrownBy(() -> connector(TlsConfig.preferred()).open(server("127.0.0.1", l.port())))
                    .isInstanceOf(ServerRefusedException.class)
                    .hasMessageStartingWith("db9(127.0.0.1:" + l.port() + "): not a MySQL or MariaDB server");
        }
    }

    @Test
    void aListenerThatHangsUpBeforeAnyGreetingIsDeadNotAnotherProtocol() throws Exception {
        try (Listener l = new Listener(c -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to close
            }
        })) {
            assertThatThrownBy(() -> connector(TlsConfig.preferred()).open(server("127.0.0.1", l.port())))
                    .isInstanceOf(ServerUnreachableException.class)
                    .hasMessageStartingWith("db9(127.0.0.1:" + l.port() + "): cannot connect: ");
        }
    }

    /**
     * caching_sha2_password against a MySQL 8 without TLS: the server asks for the full
     * authentication, which without TLS needs its RSA key. The driver must refuse rather than fetch
     * that key over the unauthenticated link, and the error must say what to do. (Over TLS the
     * password travels inside the session; no MySQL 8 server exists here to show that part.)
     */
    @Test
    void cachingSha2FullAuthenticationWithoutTlsIsRefusedWithoutFetchingTheServersKey() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (Listener l = new Listener(c -> {
            try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                out.write(packet(0, Mysql8Greeting.bytes()));
                out.flush();
                byte[] response = readPacket(in);
                heard.add(new String(response, StandardCharsets.ISO_8859_1).contains("caching_sha2_password")
                        ? "login with caching_sha2_password" : "login with another plugin");
                out.write(packet(2, new byte[]{0x01, 0x04})); // AuthMoreData: perform_full_authentication
                out.flush();
                byte[] next = readPacket(in);
                heard.add(next.length == 1 && next[0] == 0x02 ? "public key request" : "packet of " + next.length + " bytes");
            } catch (IOException e) {
                heard.add("hung up");
            }
        })) {
            assertThatThrownBy(() -> connector(TlsConfig.preferred()).open(server("127.0.0.1", l.port())))
                    .isInstanceOf(ServerRefusedException.class)
                    .hasMessage("db9(127.0.0.1:" + l.port() + "): the account's caching_sha2_password login needs TLS, and the server offers none "
                            + "(enable TLS on the server; fetching its RSA key unauthenticated is refused: a man in the middle could read the password)");
            waitUntil(() -> heard.size() >= 2);
            assertThat(heard).containsExactly("login with caching_sha2_password", "hung up");
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** MySQL 8.0's initial handshake (protocol 10) without CLIENT_SSL, offering caching_sha2_password. */
    private static final class Mysql8Greeting {
        static byte[] bytes() {
            int capabilities = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000 | 0x200000;
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(10);
            b.writeBytes("8.0.36\0".getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(new byte[]{7, 0, 0, 0});                                   // connection id
            b.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII));           // scramble, first 8 bytes
            b.write(0);
            b.write(capabilities & 0xff);
            b.write((capabilities >> 8) & 0xff);
            b.write(255);                                                            // utf8mb4_0900_ai_ci
            b.writeBytes(new byte[]{2, 0});                                          // autocommit
            b.write((capabilities >> 16) & 0xff);
            b.write((capabilities >> 24) & 0xff);
            b.write(21);                                                             // scramble length + 1
            b.writeBytes(new byte[10]);
            b.writeBytes("ijklmnopqrst\0".getBytes(StandardCharsets.US_ASCII));      // scramble, last 12 bytes
            b.writeBytes("caching_sha2_password\0".getBytes(StandardCharsets.US_ASCII));
            return b.toByteArray();
        }
    }

    private static byte[] packet(int sequence, byte[] payload) {
        byte[] p = new byte[4 + payload.length];
        p[0] = (byte) payload.length;
        p[1] = (byte) (payload.length >> 8);
        p[2] = (byte) (payload.length >> 16);
        p[3] = (byte) sequence;
        System.arraycopy(payload, 0, p, 4, payload.length);
        return p;
    }

    private static byte[] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new IOException("closed");
        }
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new IOException("closed");
        }
        return payload;
    }
}
