package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Writes the cluster config of a local sandbox, the file an operator would write for real servers. */
public final class SandboxConfig {

    private SandboxConfig() {
    }

    public static String yaml(String cluster, Sandbox sandbox, UnaryOperator<String> perServer) {
        return yaml(cluster, sandbox, List.of(), perServer);
    }

    /** @param topLevel extra top-level lines, e.g. {@code pingFailures: 3} */
    public static String yaml(String cluster, Sandbox sandbox, List<String> topLevel, UnaryOperator<String> perServer) {
        List<String> lines = new ArrayList<>(List.of(
                "cluster: " + cluster,
                "user: " + SandboxCredentials.ADMIN_USER,
                "password: " + SandboxCredentials.ADMIN_PASSWORD,
                "replicationUser: " + SandboxCredentials.REPL_USER,
                "replicationPassword: " + SandboxCredentials.REPL_PASSWORD,
                "pingInterval: 1s",
                "connectTimeout: 1s"));
        lines.addAll(topLevel);
        lines.add("servers:");
        for (ServerNode n : sandbox.nodes()) {
            lines.add("  - name: " + n.name());
            lines.add("    host: " + n.host());
            lines.add("    port: " + n.port());
            lines.add("    binlogDir: " + n.dataDir());
            String extra = perServer.apply(n.name());
            if (extra != null && !extra.isBlank()) {
                lines.add("    " + extra);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    public static Path write(Path file, String cluster, Sandbox sandbox) {
        try {
            Files.writeString(file, yaml(cluster, sandbox, name -> ""));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
