package io.mhaserverless.node;

import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies a raw binlog to a server the way MHA does: {@code mysqlbinlog FILE | mysql --binary-mode}.
 * mysqlbinlog exits 0 on "Event truncated" and some other read errors, so anything it writes on
 * stderr counts as a failure, as does the client's exit code. The password reaches the client only
 * through a 0600 option file. The applied events keep their original server id and GTIDs (the
 * SQL mysqlbinlog writes sets them); the target binlogs them as usual.
 *
 * <p>When mysqlbinlog fails in the middle, the client has already run the whole transactions before
 * the failure; the one it was inside is rolled back when the client's input ends.
 */
public final class BinlogApplier {

    /** The mysqlbinlog and client binaries. */
    public record Tools(Path mysqlbinlog, Path client) {
    }

    private final Tools programs;
    private final Consumer<String> log;
    private final long timeoutSeconds;

    public BinlogApplier(Tools programs, Consumer<String> log, long timeoutSeconds) {
        this.programs = programs;
        this.log = log;
        this.timeoutSeconds = timeoutSeconds;
    }

    public void apply(Path binlog, String host, int port, AgentCredentials credentials) throws IOException, InterruptedException {
        Path binlogErr = OwnedTempFiles.createFile(OwnedTempFiles.defaultDirectory(), "mysqlbinlog-err", ".err");
        Path clientErr = OwnedTempFiles.createFile(OwnedTempFiles.defaultDirectory(), "client-err", ".err");
        try (ClientOptionFile options = new ClientOptionFile(credentials)) {
            ProcessBuilder decode = new ProcessBuilder(programs.mysqlbinlog().toString(), "--no-defaults", binlog.toString())
                    .redirectError(binlogErr.toFile());
            ProcessBuilder apply = new ProcessBuilder(programs.client().toString(), options.option(), "--protocol=TCP",
                    "--host=" + host, "--port=" + port, "--binary-mode", "--batch", "--connect-timeout=10")
                    .redirectError(clientErr.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            log.accept(programs.mysqlbinlog() + " --no-defaults " + binlog + " | " + programs.client() + " --defaults-extra-file=(0600, "
                    + credentials.user() + ") --protocol=TCP --host=" + host + " --port=" + port + " --binary-mode --batch");
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(decode, apply));
            Process decoder = pipeline.get(0);
            Process client = pipeline.get(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            boolean finished = client.waitFor(timeoutSeconds, TimeUnit.SECONDS)
                    && decoder.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!finished) {
                decoder.destroyForcibly();
                client.destroyForcibly();
                throw new AgentFailure("applying " + binlog + " to " + host + ":" + port + " did not finish within " + timeoutSeconds + " s");
            }
            String clientError = Files.readString(clientErr, StandardCharsets.UTF_8).strip();
            String decodeError = Files.readString(binlogErr, StandardCharsets.UTF_8).strip();
            if (client.exitValue() != 0) {
                throw new AgentFailure(programs.client().getFileName() + " on " + host + ":" + port + " exited " + client.exitValue()
                        + ": " + (clientError.isEmpty() ? "(no message)" : clientError)
                        + (decodeError.isEmpty() ? "" : "; " + programs.mysqlbinlog().getFileName() + ": " + decodeError));
            }
            if (decoder.exitValue() != 0 || !decodeError.isEmpty()) {
                throw new AgentFailure(programs.mysqlbinlog().getFileName() + " " + binlog + " exited " + decoder.exitValue()
                        + (decodeError.isEmpty() ? "" : ": " + decodeError)
                        + " (transactions before the failing event may have been applied to " + host + ":" + port + ")");
            }
            if (!clientError.isEmpty()) {
                log.accept(programs.client().getFileName() + " said: " + Json.oneLine(clientError));
            }
        } finally {
            Files.deleteIfExists(binlogErr);
            Files.deleteIfExists(clientErr);
        }
    }
}
