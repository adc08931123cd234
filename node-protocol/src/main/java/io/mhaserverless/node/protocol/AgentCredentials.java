package io.mhaserverless.node.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The MySQL account the agent connects with. It reaches the agent only as a 0600 properties file
 * ({@value #OPTION}, keys {@code user=} / {@code password=}) or as {@value #ENV_USER} / {@value #ENV_PASSWORD}:
 * never on a command line, never printed ({@link #toString()} hides the password).
 */
public record AgentCredentials(String user, String password) {

    public static final String OPTION = "--credentials-file";
    public static final String ENV_USER = "MHA_USER";
    public static final String ENV_PASSWORD = "MHA_PASSWORD";
    static final String USER_KEY = "user";
    static final String PASSWORD_KEY = "password";

    /** Writes the credentials file in {@code dir}, readable by this user only; the caller deletes it. */
    public Path writeFile(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "credentials", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties p = new Properties();
        p.setProperty(USER_KEY, user);
        p.setProperty(PASSWORD_KEY, password);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    /** Reads a credentials file; the user is "" when the file has none. */
    public static AgentCredentials readFile(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return new AgentCredentials(p.getProperty(USER_KEY, "").strip(), p.getProperty(PASSWORD_KEY, ""));
    }

    @Override
    public String toString() {
        return "AgentCredentials[user=" + user + ", password=***]";
    }
}
