package io.mhaserverless.node.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the agent as a process on this machine (the local runtime's node agent, the SSM fake's
 * document) and waits for it, bounded. Credentials go through the child's environment
 * ({@code MHA_USER} / {@code MHA_PASSWORD}), never a file or argv; output goes to files, not pipes, because reading a pipe would block past the deadline on a
 * hung agent; on timeout the agent's children (mysqlbinlog | mysql) are killed first, since they
 * would go on applying without it.
 */
public final class AgentLauncher {

    /** The agent's main class, run from the caller's class path. */
    public static final String MAIN_CLASS = "io.mhaserverless.node.NodeAgent";

    private final List<String> program;
    private final Path workDir;
    private final Duration limit;

    AgentLauncher(List<String> program, Path workDir, Duration limit) {
        this.program = List.copyOf(program);
        this.workDir = workDir;
        this.limit = limit;
    }

    /** Names the agent's own jar (the release archive's lib/mha-node-agent.jar): a small jar starts faster than ours. */
    public static final String JAR_PROPERTY = "mha.node-agent.jar";

    /** Names a class-data archive or AOT cache of that jar kept elsewhere than beside it (bin/mha's cache directory). */
    public static final String ARCHIVE_PROPERTY = "mha.node-agent.archive";

    /**
     * The agent with this JVM's java: from its own jar when {@value #JAR_PROPERTY} names one that
     * exists, else from this JVM's class path.
     *
     * @param workDir where the credentials and output files live while the agent runs
     * @param limit   how long the agent may run before it is killed
     */
    public static AgentLauncher fromClassPath(Path workDir, Duration limit) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String ownJar = System.getProperty(JAR_PROPERTY);
        String classPath = ownJar != null && Files.isRegularFile(Path.of(ownJar)) ? ownJar : System.getProperty("java.class.path");
        List<String> program = new ArrayList<>();
        program.add(java);
        program.addAll(startFlags(classPath, Runtime.version().feature(), Optional.ofNullable(System.getProperty(ARCHIVE_PROPERTY))
                .map(Path::of).filter(Files::isRegularFile)));
        program.addAll(List.of("-cp", singleJar(classPath).map(Path::toString).orElse(classPath), MAIN_CLASS));
        return new AgentLauncher(program, workDir, limit);
    }

    /** The class-data archive that the node agent's build (or a host's install) leaves beside its jar. */
    public static final String ARCHIVE = "mha-node-agent.jsa";

    /**
     * The JDK 25+ ahead-of-time cache a host's install (or a bench) may leave beside the jar: the
     * classes of {@value #ARCHIVE} already loaded and linked, ~20 ms less per start than the archive
     * (docs/performance.md, "Node agent start").
     */
    public static final String AOT_CACHE = "mha-node-agent.aot";

    /** The first JDK whose {@code -XX:AOTCache} takes a cache made in one step by {@code -XX:AOTCacheOutput}. */
    public static final int AOT_CACHE_JDK = 25;

    /**
     * From JDK 18 on, reflection spins method-handle classes the first time it is used, and the JDK
     * itself reflects to make the buffer of every {@code FileChannel.map} (the binlog reader):
     * ~30 ms of a 160 ms save-binlog on JDK 25 that no archive can hold. Native accessors cost
     * nothing to start; a JDK 17 does not know the property and ignores it.
     */
    public static final String NATIVE_REFLECTION = "-Djdk.reflect.useNativeAccessorOnly=true";

    /**
     * The JVM options of a short-lived agent run from this class path (node-agent/README.md, "Fast
     * start"): C1 only, the serial collector, no hsperfdata file in /tmp (jps does not list the
     * agent; ~15 ms less); the JVM's own warnings on stderr, never in the JSON
     * on stdout; {@value #NATIVE_REFLECTION}; and, when the class path is one jar, what lies beside it: on JDK
     * {@value #AOT_CACHE_JDK}+ the AOT cache {@value #AOT_CACHE}, else the class-data archive
     * {@value #ARCHIVE}. Only when the file exists: naming a missing archive would cost the JDK's
     * own. A JVM that cannot use it (another JDK build, a rebuilt jar) starts without it and says
     * so on stderr ({@code -Xshare:auto}, and {@code AOTMode=auto}, the default).
     */
    static List<String> startFlags(String classPath) {
        return startFlags(classPath, Runtime.version().feature(), Optional.empty());
    }

    /**
     * @param archive an archive or cache made for this jar elsewhere: a {@code .aot} file is an AOT
     *                cache (used on JDK {@value #AOT_CACHE_JDK}+ only), anything else a class-data archive
     */
    static List<String> startFlags(String classPath, int jdk, Optional<Path> archive) {
        List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Xlog:disable", "-Xlog:all=warning:stderr", NATIVE_REFLECTION));
        Optional<Path> jar = singleJar(classPath);
        Optional<Path> chosen = archive.filter(a -> jar.isPresent())
                .or(() -> jar.map(j -> j.resolveSibling(AOT_CACHE)).filter(Files::isRegularFile))
                .filter(a -> !isAotCache(a) || jdk >= AOT_CACHE_JDK)
                .or(() -> jar.map(j -> j.resolveSibling(ARCHIVE)).filter(Files::isRegularFile));
        chosen.ifPresent(a -> {
            if (isAotCache(a)) {
                flags.add("-XX:AOTCache=" + a);
            } else {
                flags.add("-XX:SharedArchiveFile=" + a);
                flags.add("-Xshare:auto");
            }
        });
        return flags;
    }

    private static boolean isAotCache(Path file) {
        return file.getFileName().toString().endsWith(".aot");
    }

    /** The class path's one jar, absolute (an archive records the path it was made with), or empty. */
    private static Optional<Path> singleJar(String classPath) {
        if (classPath == null || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath().normalize();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** How a run ended: exited with a code, or killed at the limit (then exit is -1). */
    public record Exit(boolean timedOut, int code, String stdout, String stderr) {
    }

    public Exit run(AgentCall call, Optional<AgentCredentials> credentials) throws IOException, InterruptedException {
        return run(call.argv(), call.withCredentials() ? credentials : Optional.empty());
    }

    /** @param argv the subcommand and its arguments, as they arrived (the SSM fake decodes them from the document) */
    public Exit run(List<String> argv, Optional<AgentCredentials> credentials) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        OwnedTempFiles.sweep(workDir);
        List<String> command = new ArrayList<>(program);
        command.addAll(argv);
        Path stdout = OwnedTempFiles.createFile(workDir, "agent-out", ".json");
        Path stderr = OwnedTempFiles.createFile(workDir, "agent-err", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            // the account in the child's environment only: no file to outlive a kill, nothing on its command line
            builder.environment().remove(AgentCredentials.ENV_USER);
            builder.environment().remove(AgentCredentials.ENV_PASSWORD);
            credentials.ifPresent(c -> {
                builder.environment().put(AgentCredentials.ENV_USER, c.user());
                builder.environment().put(AgentCredentials.ENV_PASSWORD, c.password());
            });
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException stopped) {
                // the caller gave up (a Task's timeout): nothing of this call may go on applying without it
                kill(process);
                throw stopped;
            }
            if (!finished) {
                kill(process);
                return new Exit(true, -1, Files.readString(stdout), Files.readString(stderr));
            }
            return new Exit(false, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Its mysqlbinlog | mysql children first: they would go on applying without it. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }
}
