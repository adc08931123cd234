package io.mhaserverless.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where Debian's mariadb-server and mariadb-client put the binaries the sandbox needs. */
public record MariaDbInstallation(Path mariadbd, Path installDb, Optional<Path> mariadbBinlog, Optional<Path> client) {

    private static final List<String> SEARCH_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");

    /** Finds the binaries, or fails with a message that says how to install them. */
    public static MariaDbInstallation locate() {
        Path mariadbd = find("mariadbd").orElseThrow(() -> missing("mariadbd"));
        Path installDb = find("mariadb-install-db").orElseThrow(() -> missing("mariadb-install-db"));
        return new MariaDbInstallation(mariadbd, installDb, find("mariadb-binlog"), find("mariadb"));
    }

    public static boolean isInstalled() {
        return find("mariadbd").isPresent() && find("mariadb-install-db").isPresent();
    }

    private static IllegalStateException missing(String binary) {
        return new IllegalStateException(binary + " not found on PATH or in /usr/sbin: install MariaDB with "
                + "'apt-get install -y mariadb-server mariadb-client' (the README's commands do this for you)");
    }

    static Optional<Path> find(String name) {
        Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"));
        return Stream.concat(path, SEARCH_DIRS.stream())
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The server's own version line, e.g. {@code mariadbd  Ver 10.11.19-MariaDB-0+deb12u1}. */
    public String version() {
        try {
            Process p = new ProcessBuilder(mariadbd.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mariadbd + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
