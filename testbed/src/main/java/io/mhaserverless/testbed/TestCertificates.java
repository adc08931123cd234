package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for TLS tests, made with the openssl command line in a test's directory:
 * a CA, a server certificate it signs for 127.0.0.1 (what sandbox servers listen on), a certificate
 * the same CA signs for another name, and an unrelated CA. Nothing here leaves that directory.
 */
public final class TestCertificates {

    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        c.selfSigned("ca", "/CN=mha-serverless test CA");
        c.selfSigned("other-ca", "/CN=unrelated test CA");
        c.signed("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        c.signed("wrong-name", "/CN=db.example", "subjectAltName=DNS:db.example");
        return c;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    /** my.cnf lines that give a sandbox server the certificate for 127.0.0.1. */
    public List<String> serverOptions() {
        return options("server");
    }

    /** my.cnf lines that give a sandbox server a certificate of the right CA for the wrong name. */
    public List<String> wrongNameOptions() {
        return options("wrong-name");
    }

    private List<String> options(String name) {
        return List.of("ssl_cert=" + dir.resolve(name + ".pem"), "ssl_key=" + dir.resolve(name + ".key"), "ssl_ca=" + ca());
    }

    private void selfSigned(String name, String subject) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", subject,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".pem").toString());
    }

    private void signed(String name, String subject, String extension) {
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, extension + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".csr").toString());
        openssl("x509", "-req", "-days", "2", "-in", dir.resolve(name + ".csr").toString(),
                "-CA", ca().toString(), "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial",
                "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish within " + OPENSSL_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (scripts/setup installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
