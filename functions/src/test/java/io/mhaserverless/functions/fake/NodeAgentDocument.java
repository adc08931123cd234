package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.AgentLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Does on this machine what the MhaNodeAgent SSM document does on an instance: decodes the
 * "arguments" parameter (one JSON array), fetches "credentialsSecret" (when not empty) for the
 * agent's credentials file, runs the real node agent from this JVM's class path with the same
 * {@link AgentLauncher} as the local runtime, and reports its stdout, stderr and exit code. Paths under the host's work directory {@code /var/tmp/mha} are mapped into
 * {@code workDir}, so tests do not write outside their temp directory.
 */
public final class NodeAgentDocument implements CommandExecutor {

    private static final String HOST_WORK_DIR = "/var/tmp/mha";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeSecretsManager secrets;
    private final Path workDir;
    private final Duration timeout;

    public NodeAgentDocument(FakeSecretsManager secrets, Path workDir, Duration timeout) {
        this.secrets = secrets;
        this.workDir = workDir;
        this.timeout = timeout;
    }

    @Override
    public CommandResult execute(String instanceId, Map<String, List<String>> parameters) throws Exception {
        List<String> argv = new ArrayList<>(List.of(single(parameters, "subcommand")));
        List<String> arguments = JSON.readValue(single(parameters, "arguments"), new TypeReference<List<String>>() { });
        arguments.forEach(a -> argv.add(a.startsWith(HOST_WORK_DIR + "/") ? workDir.resolve(a.substring(HOST_WORK_DIR.length() + 1)).toString() : a));
        String secretId = single(parameters, "credentialsSecret");
        Optional<AgentCredentials> credentials = secretId.isEmpty() ? Optional.empty() : Optional.of(credentials(secretId));
        AgentLauncher.Exit exit = AgentLauncher.fromClassPath(workDir, timeout).run(argv, credentials);
        return exit.timedOut() ? CommandResult.executionTimedOut() : CommandResult.exit(exit.code(), exit.stdout(), exit.stderr());
    }

    /** What the document's script does on the host: the secret's JSON (username / password) as the agent's account. */
    private AgentCredentials credentials(String secretId) throws IOException {
        String text = secrets.secretString(secretId).orElseThrow(() -> new IllegalStateException("no secret " + secretId));
        JsonNode secret = JSON.readTree(text);
        return new AgentCredentials(secret.path("username").asText(), secret.path("password").asText());
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> v = parameters.get(name);
        if (v == null || v.size() != 1) {
            throw new IllegalArgumentException("document parameter " + name + " must be a list of one string, not " + v);
        }
        return v.get(0);
    }
}
