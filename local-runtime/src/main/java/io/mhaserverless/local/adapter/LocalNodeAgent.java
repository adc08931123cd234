package io.mhaserverless.local.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The node agent of the local runtime: the same agent CLI that SSM runs on an EC2 host, run here as
 * a process against the sandbox's datadirs. Every server of the sandbox lives on this machine, so
 * a "host" answers when its address is local and, for a dead master, its binlog directory is still
 * there. Credentials reach the agent in a 0600 file that is deleted afterwards, never on its
 * command line.
 */
public final class LocalNodeAgent implements NodeAgent {

    private static final String MAIN_CLASS = "io.mhaserverless.node.NodeAgent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String user;
    private final String password;
    private final Path workDir;
    private final Duration timeout;

    public LocalNodeAgent(String user, String password, Path workDir, Duration timeout) {
        this.user = user;
        this.password = password;
        this.workDir = workDir;
        this.timeout = timeout;
    }

    @Override
    public boolean reachable(ServerConfig host) {
        try {
            InetAddress address = InetAddress.getByName(host.host());
            boolean local = address.isLoopbackAddress() || address.isAnyLocalAddress();
            return local && host.binlogDir().map(d -> Files.isDirectory(Path.of(d))).orElse(true);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        requireReachable(host);
        Path out = workDir.resolve(host.name() + "-" + from.file() + "-" + from.position() + ".binlog");
        Result r = run(List.of("save-binlog", "--binlog-dir", binlogDir, "--binlog-prefix", binlogPrefix,
                "--from", from.toString(), "--out", out.toString()), false);
        JsonNode j = r.json();
        if (r.exit() == 10) {
            return new SavedBinlog(true, null, 0, 0, 0, from, from, false, "");
        }
        return new SavedBinlog(false, j.path("out").asText(out.toString()), j.path("bytes").asLong(), j.path("events").asLong(),
                j.path("transactions").asLong(), from,
                new BinlogCoordinates(j.path("lastFile").asText(from.file()), j.path("lastEndPos").asLong(from.position())),
                j.path("truncatedTail").asBoolean(false), j.path("gtids").asText(""));
    }

    @Override
    public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                             Optional<String> targetHas) {
        requireReachable(host);
        List<String> args = new ArrayList<>(List.of("apply-diff", "--target-host", target.host(),
                "--target-port", Integer.toString(target.port())));
        relayDiff.ifPresent(d -> {
            args.addAll(List.of("--relay-log-index", d.relayLogIndex(), "--from-source", d.from().toString()));
            d.until().ifPresent(u -> args.addAll(List.of("--until-source", u.toString())));
        });
        savedBinlog.ifPresent(b -> args.addAll(List.of("--binlog", b)));
        targetHas.filter(g -> !g.isBlank()).ifPresent(g -> args.addAll(List.of("--skip-gtids", g)));
        args.addAll(List.of("--timeout-seconds", Long.toString(Math.max(1, timeout.toSeconds()))));
        JsonNode j = run(args, true).json();
        return new Applied(j.path("events").asLong(), j.path("transactions").asLong(), j.path("bytes").asLong());
    }

    private void requireReachable(ServerConfig host) {
        if (!reachable(host)) {
            throw new Unreachable("the host of " + host.label() + " does not answer");
        }
    }

    private record Result(int exit, JsonNode json) {
    }

    private Result run(List<String> args, boolean withCredentials) {
        Path credentials = null;
        try {
            Files.createDirectories(workDir);
            // A short-lived tool: C1 only and the serial collector start it ~10% faster.
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), MAIN_CLASS));
            command.addAll(args);
            if (withCredentials) {
                credentials = Files.createTempFile(workDir, "credentials", ".properties",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Properties p = new Properties();
                p.setProperty("user", user);
                p.setProperty("password", password);
                try (var out = Files.newOutputStream(credentials)) {
                    p.store(out, null);
                }
                command.addAll(List.of("--credentials-file", credentials.toString()));
            }
            Path stderr = Files.createTempFile(workDir, "agent", ".log");
            Path stdoutFile = Files.createTempFile(workDir, "agent", ".json");
            // Output to files, not pipes: reading a pipe would block past the deadline on a hung agent.
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdoutFile.toFile()).start();
            if (!process.waitFor(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                // its mysqlbinlog | mariadb children first: they would go on applying without it
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new Failed("node agent " + args.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            int exit = process.exitValue();
            byte[] stdout = Files.readAllBytes(stdoutFile);
            Files.deleteIfExists(stdoutFile);
            JsonNode json = stdout.length == 0 ? JSON.createObjectNode() : JSON.readTree(stdout);
            if (exit != 0 && exit != 10) {
                String error = json.path("error").asText("");
                throw new Failed("node agent " + args.get(0) + " exited " + exit + ": "
                        + (error.isEmpty() ? Files.readString(stderr).strip() : error));
            }
            Files.deleteIfExists(stderr);
            return new Result(exit, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the node agent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while the node agent ran");
        } finally {
            if (credentials != null) {
                try {
                    Files.deleteIfExists(credentials);
                } catch (IOException ignored) {
                    // the work directory is private to this run and removed with it
                }
            }
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
