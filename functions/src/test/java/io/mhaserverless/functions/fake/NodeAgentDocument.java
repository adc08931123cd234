package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Does on this machine what the MhaNodeAgent SSM document does on an instance: decodes the
 * "arguments" parameter (one JSON array), fetches "credentialsSecret" (when not empty) into a 0600
 * properties file for {@code --credentials-file}, runs the real node agent
 * ({@code io.mhaserverless.node.NodeAgent} from this JVM's class path) and reports its stdout,
 * stderr and exit code. Paths under the host's work directory {@code /var/tmp/mha} are mapped into
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
        String subcommand = single(parameters, "subcommand");
        List<String> arguments = JSON.readValue(single(parameters, "arguments"), new TypeReference<List<String>>() { });
        String secretId = single(parameters, "credentialsSecret");
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.mhaserverless.node.NodeAgent", subcommand));
        arguments.forEach(a -> command.add(a.startsWith(HOST_WORK_DIR + "/") ? workDir.resolve(a.substring(HOST_WORK_DIR.length() + 1)).toString() : a));
        Path credentials = null;
        try {
            if (!secretId.isEmpty()) {
                credentials = credentialsFile(secretId);
                command.addAll(List.of("--credentials-file", credentials.toString()));
            }
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return CommandResult.executionTimedOut();
            }
            return CommandResult.exit(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            if (credentials != null) {
                Files.deleteIfExists(credentials);
            }
        }
    }

    private Path credentialsFile(String secretId) throws IOException {
        String text = secrets.secretString(secretId).orElseThrow(() -> new IllegalStateException("no secret " + secretId));
        JsonNode secret = JSON.readTree(text);
        Path file = Files.createTempFile(workDir, "credentials", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties p = new Properties();
        p.setProperty("user", secret.path("username").asText());
        p.setProperty("password", secret.path("password").asText());
        try (OutputStream o = Files.newOutputStream(file)) {
            p.store(o, null);
        }
        return file;
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> v = parameters.get(name);
        if (v == null || v.size() != 1) {
            throw new IllegalArgumentException("document parameter " + name + " must be a list of one string, not " + v);
        }
        return v.get(0);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

}
