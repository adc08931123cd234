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

    /**
     * The agent from this JVM's class path, with this JVM's java.
     *
     * @param workDir where the credentials and output files live while the agent runs
     * @param limit   how long the agent may run before it is killed
     */
    public static AgentLauncher fromClassPath(Path workDir, Duration limit) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        List<String> program = new ArrayList<>();
        program.add(java);
        program.addAll(startFlags(classPath));
        program.addAll(List.of("-cp", singleJar(classPath).map(Path::toString).orElse(classPath), MAIN_CLASS));
        return new AgentLauncher(program, workDir, limit);
    }

    /** The class-data archive that the node agent's build (or a host's install) leaves beside its jar. */
    public static final String ARCHIVE = "mha-node-agent.jsa";

    /**
     * The JVM options of a short-lived agent run from this class path (node-agent/README.md, "Fast
     * start"): C1 only, the serial collector, no hsperfdata file in /tmp (jps does not list the
     * agent; ~15 ms less); the JVM's own warnings on stderr, never in the JSON
     * on stdout; and, when the class path is one jar with {@value #ARCHIVE} beside it, that
     * class-data archive. Only when the file exists: naming a missing archive would cost the JDK's
     * own. With {@code -Xshare:auto} a JVM that cannot use it (another JDK build, a rebuilt jar)
     * starts without it and says so on stderr.
     */
    static List<String> startFlags(String classPath) {
        List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Xlog:disable", "-Xlog:all=warning:stderr"));
        singleJar(classPath).map(jar -> jar.resolveSibling(ARCHIVE)).filter(Files::isRegularFile).ifPresent(archive -> {
            flags.add("-XX:SharedArchiveFile=" + archive);
            flags.add("-Xshare:auto");
        });
        return flags;
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
