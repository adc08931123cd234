package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes sure no mariadbd outlives the JVM that started it. Every server gets a pid file naming its
 * owner JVM; a shutdown hook kills this JVM's servers, and the first use in a later JVM reaps the
 * servers and directories of any owner that died without running its hook (SIGKILL, OOM, power).
 */
public final class ProcessRegistry {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "mha-sandbox");
    private static final Path PIDS = ROOT.resolve("pids");
    private static final long OWNER = ProcessHandle.current().pid();
    private static final ProcessRegistry INSTANCE = new ProcessRegistry();

    private final Map<Long, Path> live = new ConcurrentHashMap<>();

    private ProcessRegistry() {
        try {
            Files.createDirectories(PIDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + PIDS, e);
        }
        reapOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            killAll();
            deleteTree(ROOT.resolve("jvm-" + OWNER));
        }, "mha-sandbox-reaper"));
    }

    public static ProcessRegistry get() {
        return INSTANCE;
    }

    /** This JVM's own work directory; removed by the next JVM if this one dies without cleaning up. */
    public Path jvmDirectory() {
        Path dir = ROOT.resolve("jvm-" + OWNER);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void register(long pid, Path dataDir) {
        live.put(pid, dataDir);
        Properties p = new Properties();
        p.setProperty("owner", Long.toString(OWNER));
        p.setProperty("dir", dataDir.toString());
        try (var out = Files.newOutputStream(PIDS.resolve(Long.toString(pid)))) {
            p.store(out, "mariadbd started by the MHA sandbox");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file for " + pid, e);
        }
    }

    void unregister(long pid) {
        live.remove(pid);
        try {
            Files.deleteIfExists(PIDS.resolve(Long.toString(pid)));
        } catch (IOException ignored) {
            // a stale pid file is harmless: its owner is this live JVM until exit, then it is reaped
        }
    }

    /** SIGKILL every server this JVM started and still owns. */
    public void killAll() {
        for (Long pid : List.copyOf(live.keySet())) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            unregister(pid);
        }
    }

    private void reapOrphans() {
        try (Stream<Path> files = Files.list(PIDS)) {
            for (Path file : files.toList()) {
                Properties p = new Properties();
                try (var in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (IOException e) {
                    continue;
                }
                long owner = Long.parseLong(p.getProperty("owner", "0"));
                if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                long pid = Long.parseLong(file.getFileName().toString());
                ProcessHandle.of(pid).filter(ProcessRegistry::isMariadbd).ifPresent(h -> {
                    h.destroyForcibly();
                    h.onExit().join();
                });
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + PIDS, e);
        }
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("jvm-")).toList()) {
                long owner = Long.parseLong(dir.getFileName().toString().substring(4));
                if (!ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + ROOT, e);
        }
    }

    private static boolean isMariadbd(ProcessHandle h) {
        Optional<String> command = h.info().command();
        return command.map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a file still held open by a dying process goes with the next sweep
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort, as above
        }
    }
}
