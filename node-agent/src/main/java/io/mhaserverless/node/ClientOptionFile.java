package io.mhaserverless.node;

import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 0600 option file with the [client] user and password, for {@code --defaults-extra-file} of the
 * mysql / mariadb client: the password never appears on a command line. It lives in memory
 * ({@link OwnedTempFiles#secretDirectory()}: /dev/shm), is deleted on close, and one left by a killed
 * agent is swept by the next agent run ({@code mha-client-cnf.<pid>.*}).
 */
final class ClientOptionFile implements AutoCloseable {

    private final Path path;

    ClientOptionFile(AgentCredentials credentials) throws IOException {
        path = OwnedTempFiles.createFile(OwnedTempFiles.secretDirectory(), "client-cnf", ".cnf");
        try {
            Files.writeString(path, content(credentials), StandardCharsets.UTF_8);
        } catch (IOException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Option-file values in double quotes; backslash and double quote escaped, line breaks as escapes. */
    static String content(AgentCredentials credentials) {
        return "[client]\nuser=" + quote(credentials.user()) + "\npassword=" + quote(credentials.password()) + "\n";
    }

    static String quote(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '"' -> s.append("\\\"");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }

    Path path() {
        return path;
    }

    /** The client option that reads it; must come first on the client's command line. */
    String option() {
        return "--defaults-extra-file=" + path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
