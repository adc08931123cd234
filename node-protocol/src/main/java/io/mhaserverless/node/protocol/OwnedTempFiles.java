package io.mhaserverless.node.protocol;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Temporary files and directories that name their owner: {@code mha-<kind>.<pid>.<random><suffix>}.
 * A process deletes its own when done; one that was killed cannot, so the next run {@link #sweep}s
 * every such entry whose owner pid is no longer alive. Secrets (a mysql option file) go to
 * {@link #secretDirectory()}, memory-backed where the machine has one, so that not even a kill
 * leaves them on a disk.
 */
public final class OwnedTempFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private OwnedTempFiles() {
    }

    /** /dev/shm when it is a writable directory (Linux), else the JVM's temporary directory. */
    public static Path secretDirectory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A new owner-only (0600) file {@code mha-<kind>.<pid>.<random><suffix>} in {@code dir}. */
    public static Path createFile(Path dir, String kind, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix(kind), suffix, OWNER_ONLY_FILE);
    }

    /** A new owner-only (0700) directory {@code mha-<kind>.<pid>.<random>} in {@code dir}. */
    public static Path createDirectory(Path dir, String kind) throws IOException {
        return Files.createTempDirectory(dir, prefix(kind), OWNER_ONLY_DIR);
    }

    private static String prefix(String kind) {
        if (!kind.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a temporary file's kind is lower-case letters, digits and '-': " + kind);
        }
        return "mha-" + kind + "." + ProcessHandle.current().pid() + ".";
    }

    /**
     * The pid that owns an entry of this naming, or -1 for any other name. Parsed by hand: every
     * agent call sweeps at start, and a first regex costs a fresh JVM ~10 ms of method-handle set-up.
     */
    public static long owner(Path entry) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("mha-")) {
            return -1;
        }
        int kindEnd = name.indexOf('.', 4);
        if (kindEnd <= 4) {
            return -1;
        }
        for (int i = 4; i < kindEnd; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return -1;
            }
        }
        int pidEnd = name.indexOf('.', kindEnd + 1);
        if (pidEnd <= kindEnd + 1 || pidEnd - kindEnd - 1 > 18) {
            return -1;
        }
        for (int i = kindEnd + 1; i < pidEnd; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(name, kindEnd + 1, pidEnd, 10);
    }

    /**
     * Deletes every entry of {@code dir} named by this class whose owner is no longer alive (a
     * directory with all it holds); returns how many went. Entries it cannot delete are left.
     */
    public static int sweep(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                long pid = owner(e);
                if (pid > 0 && !alive(pid)) {
                    try {
                        deleteTree(e);
                        removed++;
                    } catch (IOException notOurs) {
                        // another user's, or going away already: not this run's to force
                    }
                }
            }
        } catch (IOException unreadable) {
            return removed;
        }
        return removed;
    }

    private static boolean alive(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }

    /** Deletes a file, or a directory with all it holds; a missing one is fine. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(p)) {
                for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }
}
