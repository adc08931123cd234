package io.mhaserverless.node.protocol;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files and directories that name their owner: {@code mha-<kind>.<pid>.<random><suffix>}.
 * A process deletes its own when done; one that was killed cannot, so the next run {@link #sweep}s
 * every such entry whose owner pid is no longer alive. Secrets (a mysql option file) go to
 * {@link #secretDirectory()}, memory-backed where the machine has one, so that not even a kill
 * leaves them on a disk.
 */
public final class OwnedTempFiles {

    private static final Pattern OWNED = Pattern.compile("mha-([a-z0-9-]+)\\.(\\d+)\\..*");
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

    /** The pid that owns an entry of this naming, or -1 for any other name. */
    public static long owner(Path entry) {
        Matcher m = OWNED.matcher(entry.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
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
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "mha-*")) {
            for (Path e : entries) {
                long pid = owner(e);
                if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
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
