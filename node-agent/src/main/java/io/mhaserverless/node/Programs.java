package io.mhaserverless.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds external programs (mariadb-binlog, mysql, ip, arping) on PATH or in the usual system directories. */
public final class Programs {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin");

    private Programs() {
    }

    public static Optional<Path> find(String... names) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(SYSTEM_DIRS);
        for (String name : names) {
            for (String dir : dirs) {
                if (dir.isBlank()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** An explicit path (must be executable), else the first of {@code names} found. */
    public static Path require(Path explicit, String option, String... names) {
        if (explicit != null) {
            if (!Files.isExecutable(explicit)) {
                throw new AgentFailure(option + " " + explicit + " is not an executable file");
            }
            return explicit;
        }
        return find(names).orElseThrow(() -> new AgentFailure(String.join(" / ", names)
                + " not found on PATH or in /usr/bin: install the MySQL or MariaDB client, or give " + option + " PATH"));
    }
}
