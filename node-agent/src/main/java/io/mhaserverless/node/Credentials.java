package io.mhaserverless.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The MySQL account the agent uses: from {@code --credentials-file} (java.util.Properties with
 * {@code user=} and {@code password=}) or from MHA_USER / MHA_PASSWORD. Never from an option, never
 * printed ({@link #toString()} hides the password).
 */
record Credentials(String user, String password) {

    static Credentials resolve(Path file, Map<String, String> env) {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new AgentFailure("--credentials-file " + file + " does not exist");
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new AgentFailure("--credentials-file " + file + " cannot be read: " + e.getMessage());
            }
            String user = p.getProperty("user", "").strip();
            if (user.isEmpty()) {
                throw new AgentFailure("--credentials-file " + file + " has no user= entry");
            }
            return new Credentials(user, p.getProperty("password", ""));
        }
        String user = env.getOrDefault("MHA_USER", "").strip();
        if (user.isEmpty()) {
            throw new AgentFailure("no credentials: give --credentials-file FILE (user=, password=) or set MHA_USER and MHA_PASSWORD");
        }
        return new Credentials(user, env.getOrDefault("MHA_PASSWORD", ""));
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
