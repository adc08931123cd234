package io.mhaserverless.core.mysql;

import io.mhaserverless.core.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured CA as a PKCS12 trust store file. Connector/J takes its trust anchors only from a
 * key store URL, while operators hold CAs as PEM; this converts once per JVM and CA. The store
 * holds public certificates only: its random password guards nothing secret and is never shown.
 */
final class CaTrustStore {

    private static final Map<List<String>, CaTrustStore> BY_FINGERPRINTS = new ConcurrentHashMap<>();

    private final Path file;
    private final String password;

    private CaTrustStore(Path file, String password) {
        this.file = file;
        this.password = password;
    }

    /** A store trusting exactly these certificates; reused while its file exists (a Lambda's /tmp may be emptied). */
    static CaTrustStore of(List<X509Certificate> certificates) {
        List<String> key = fingerprints(certificates);
        CaTrustStore known = BY_FINGERPRINTS.get(key);
        if (known != null && Files.isRegularFile(known.file)) {
            return known;
        }
        CaTrustStore made = write(certificates);
        BY_FINGERPRINTS.put(key, made);
        return made;
    }

    String url() {
        return file.toUri().toString();
    }

    String password() {
        return password;
    }

    Path file() {
        return file;
    }

    private static CaTrustStore write(List<X509Certificate> certificates) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            // createTempFile makes it owner-only on POSIX file systems
            Path file = Files.createTempFile("mha-tls-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new CaTrustStore(file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("tls.ca: cannot build a trust store from the CA: " + e.getMessage(), e);
        }
    }

    private static List<String> fingerprints(List<X509Certificate> certificates) {
        List<String> out = new ArrayList<>();
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (X509Certificate c : certificates) {
                out.add(HexFormat.of().formatHex(sha256.digest(c.getEncoded())));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 or X.509 encoding is missing from this JVM", e);
        }
        return out;
    }
}
