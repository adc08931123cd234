package io.mhaserverless.core.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the admin connections use TLS ({@code tls:} in the cluster config). The modes are MySQL's
 * {@code --ssl-mode} values, passed to the driver unchanged.
 *
 * @param ca the CA that signs the servers' certificates: an absolute path to a PEM file, or the PEM
 *           text itself (for a config kept in Parameter Store, where no file sits beside it).
 *           Given exactly when the mode verifies the certificate.
 */
public record TlsConfig(Mode mode, Optional<String> ca) {

    public enum Mode {
        /** Never TLS. */
        DISABLED,
        /** TLS when the server offers it, unverified; plain otherwise (a MariaDB without TLS still connects). */
        PREFERRED,
        /** TLS or no connection; the certificate is not checked. */
        REQUIRED,
        /** TLS, and the server's certificate must chain to {@code ca}. */
        VERIFY_CA,
        /** VERIFY_CA, and the certificate must name the host as configured (SAN or CN). */
        VERIFY_IDENTITY;

        public boolean verifiesCertificate() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }

    static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

    public TlsConfig {
        if (mode.verifiesCertificate() != ca.isPresent()) {
            throw new IllegalArgumentException("tls.ca is given exactly for VERIFY_CA and VERIFY_IDENTITY, mode was " + mode);
        }
    }

    /** The default: TLS wherever the server offers it, so MySQL 8's caching_sha2_password works without the server's RSA key. */
    public static TlsConfig preferred() {
        return new TlsConfig(Mode.PREFERRED, Optional.empty());
    }

    /**
     * The CA certificates to trust, read from the PEM text or file; empty unless the mode verifies.
     *
     * @throws ConfigException naming {@code tls.ca} when the file cannot be read or holds no certificate
     */
    public List<X509Certificate> caCertificates() {
        if (ca.isEmpty()) {
            return List.of();
        }
        String value = ca.get();
        byte[] pem;
        String what;
        if (value.strip().startsWith(PEM_BEGIN)) {
            pem = value.getBytes(StandardCharsets.US_ASCII);
            what = "the PEM text";
        } else {
            Path file = Path.of(value);
            what = "the file " + file;
            if (!file.isAbsolute()) {
                throw new ConfigException("tls.ca: must be an absolute path to a PEM file or the PEM text itself, not '" + value + "'");
            }
            try {
                pem = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ConfigException("tls.ca: no such file: " + file);
            } catch (IOException e) {
                throw new ConfigException("tls.ca: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                certificates.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new ConfigException("tls.ca: " + what + " is not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new ConfigException("tls.ca: " + what + " holds no PEM certificate (" + PEM_BEGIN + ")");
        }
        return certificates;
    }
}
