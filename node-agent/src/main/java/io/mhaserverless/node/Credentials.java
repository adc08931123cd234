package io.mhaserverless.node;

import io.mhaserverless.node.protocol.AgentCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the agent finds its MySQL account: {@code --credentials-file} (user=, password=) or
 * MHA_USER / MHA_PASSWORD. Never from an option's value, never printed.
 */
final class Credentials {

    private Credentials() {
    }

    static AgentCredentials resolve(Path file, Map<String, String> env) {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new AgentFailure(AgentCredentials.OPTION + " " + file + " does not exist");
            }
            AgentCredentials c;
            try {
                c = AgentCredentials.readFile(file);
            } catch (IOException e) {
                throw new AgentFailure(AgentCredentials.OPTION + " " + file + " cannot be read: " + e.getMessage());
            }
            if (c.user().isEmpty()) {
                throw new AgentFailure(AgentCredentials.OPTION + " " + file + " has no user= entry");
            }
            return c;
        }
        String user = env.getOrDefault(AgentCredentials.ENV_USER, "").strip();
        if (user.isEmpty()) {
            throw new AgentFailure("no credentials: give " + AgentCredentials.OPTION + " FILE (user=, password=) or set "
                    + AgentCredentials.ENV_USER + " and " + AgentCredentials.ENV_PASSWORD);
        }
        return new AgentCredentials(user, env.getOrDefault(AgentCredentials.ENV_PASSWORD, ""));
    }
}
