package io.mhaserverless.node;

import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.ApplyDiffAnswer;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.Subcommand;
import io.mhaserverless.node.binlog.BinlogReader;
import io.mhaserverless.node.binlog.DiffBuilder;
import io.mhaserverless.node.binlog.EventType;
import io.mhaserverless.node.binlog.FormatDescription;
import io.mhaserverless.node.binlog.RelayLogIndex;
import io.mhaserverless.node.binlog.RelayPosition;
import io.mhaserverless.node.binlog.RelayPositionFinder;
import io.mhaserverless.node.binlog.SourceCoordinate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MHA's apply_diff_relay_logs: relay diff + saved binlogs as one binlog, applied with mysqlbinlog | mysql. */
@Command(name = Subcommand.APPLY_DIFF,
        header = "Apply a relay-log diff and saved binlogs to a server as one stream (MHA apply_diff_relay_logs).",
        mixinStandardHelpOptions = true,
        description = {"Builds ONE raw binlog from this replica's relay-log diff (from the relay position of --from-source, "
                        + "up to and including the event ending at --until-source, else to the end) followed by the events of "
                        + "each --binlog file, so that no transaction is split at a file boundary; then applies it to the "
                        + "target with mariadb-binlog | mariadb --binary-mode (or mysqlbinlog | mysql). mysqlbinlog's stderr "
                        + "and the client's exit code are checked. The applied events keep their original server_id and GTIDs.",
                "JSON: "
                        + "{\"status\":\"ok\",\"events\",\"transactions\",\"bytes\",\"appliedTo\":\"H:P\"|null,\"out\",\"relayFile\",\"relayPos\", "
                        + "\"endsAtTransactionBoundary\",\"gtids\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK + ":applied (or written, with --dry-run)",
                ExitCodes.ERROR + ":error (missing file, unreadable binlog, mysqlbinlog error output, client failure)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.POSITION_NOT_FOUND + ":--from-source or --until-source not found in the relay logs (status \"not-found\")"})
final class ApplyDiffCommand extends AgentCommand {

    @Option(names = "--target-host", required = true, paramLabel = "H", description = "server to apply to")
    String targetHost;

    @Option(names = "--target-port", required = true, paramLabel = "P", description = "its port")
    int targetPort;

    @Option(names = "--credentials-file", paramLabel = "F", description = "user= / password= (else MHA_USER / MHA_PASSWORD)")
    Path credentialsFile;

    @Option(names = "--relay-log-index", paramLabel = "FILE", description = "this replica's relay-log index")
    Path relayLogIndex;

    @Option(names = "--from-source", paramLabel = "FILE:POS", converter = CoordinateConverter.class,
            description = "source coordinate the target has executed up to (its Relay_Master_Log_File:Exec_Master_Log_Pos)")
    SourceCoordinate fromSource;

    @Option(names = "--until-source", paramLabel = "FILE:POS", converter = CoordinateConverter.class,
            description = "last source coordinate to take from the relay logs (inclusive)")
    SourceCoordinate untilSource;

    @Option(names = "--binlog", paramLabel = "SAVED", description = "a saved binlog (save-binlog output) to append; repeatable")
    List<Path> binlogs = new ArrayList<>();

    @Option(names = "--skip-gtids", paramLabel = "SET",
            description = "the target's executed GTIDs (MySQL gtid_executed, MariaDB gtid_binlog_state): groups it already has are left out,"
                    + " so an apply that stopped half-way can be run again")
    String skipGtids;

    @Option(names = "--mysqlbinlog", paramLabel = "PATH", description = "mysqlbinlog to use (default: mariadb-binlog or mysqlbinlog)")
    Path mysqlbinlog;

    @Option(names = "--mysql", paramLabel = "PATH", description = "client to use (default: mariadb or mysql)")
    Path mysql;

    @Option(names = "--out", paramLabel = "FILE", description = "keep the merged binlog here (default: a temporary file, deleted)")
    Path out;

    @Option(names = "--dry-run", description = "only write --out; apply nothing")
    boolean dryRun;

    @Option(names = "--timeout-seconds", defaultValue = "3600", paramLabel = "S", description = "limit for the apply (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    Outcome execute() throws Exception {
        if (targetPort < 1 || targetPort > 65535) {
            throw usage("--target-port must be 1..65535, was " + targetPort);
        }
        if ((relayLogIndex == null) != (fromSource == null)) {
            throw usage("--relay-log-index and --from-source go together");
        }
        if (untilSource != null && relayLogIndex == null) {
            throw usage("--until-source needs --relay-log-index and --from-source");
        }
        if (relayLogIndex == null && binlogs.isEmpty()) {
            throw usage("nothing to apply: give --relay-log-index with --from-source, and/or --binlog");
        }
        if (dryRun && out == null) {
            throw usage("--dry-run needs --out");
        }
        for (Path b : binlogs) {
            if (!Files.isRegularFile(b)) {
                throw new AgentFailure("--binlog " + b + " does not exist");
            }
        }
        AgentCredentials credentials = dryRun ? null : Credentials.resolve(credentialsFile, System.getenv());
        if (!dryRun) {
            checkHost(targetHost);
        }

        RelayLogIndex index = null;
        RelayPosition start = null;
        if (relayLogIndex != null) {
            index = RelayLogIndex.read(relayLogIndex);
            start = new RelayPositionFinder(index, log()).find(fromSource);
        }
        if (out != null && (out.toAbsolutePath().getParent() == null || !Files.isDirectory(out.toAbsolutePath().getParent()))) {
            throw new AgentFailure("--out " + out + ": its directory does not exist");
        }
        Path merged = out != null ? out : io.mhaserverless.node.protocol.OwnedTempFiles.createFile(
                io.mhaserverless.node.protocol.OwnedTempFiles.defaultDirectory(), "diff", ".binlog");
        try {
            DiffBuilder builder = new DiffBuilder(log());
            if (skipGtids != null && !skipGtids.isBlank()) {
                try {
                    builder.skipping(skipGtids);
                } catch (RuntimeException e) {
                    throw usage("--skip-gtids: not a GTID set or position: '" + skipGtids + "'");
                }
            }
            DiffBuilder.Built built = builder.build(index, start, untilSource, binlogs, merged);
            log().accept("merged binlog " + merged + ": " + built.events() + " events, " + built.transactions() + " transactions, "
                    + built.bytes() + " bytes");
            String appliedTo = null;
            if (!dryRun && built.events() > 0) {
                long t0 = System.nanoTime();
                new BinlogApplier(tools(mysqlbinlog, mysql, headFormat(merged)), log(), timeoutSeconds).apply(merged, targetHost, targetPort, credentials);
                log().accept("applied to " + targetHost + ":" + targetPort + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                appliedTo = targetHost + ":" + targetPort;
            } else if (!dryRun) {
                log().accept("nothing to apply");
                appliedTo = targetHost + ":" + targetPort;
            }
            return Outcome.ok(new ApplyDiffAnswer("ok", built.events(), built.transactions(), built.bytes(), appliedTo,
                    out == null ? null : out.toString(), built.endsAtTransactionBoundary(), built.skipped(), built.gtids(),
                    start == null ? null : start.relayFile().getFileName().toString(), start == null ? null : start.relayPos()).toJson());
        } finally {
            if (out == null) {
                Files.deleteIfExists(merged);
            }
        }
    }

    /** MariaDB's mariadb-binlog cannot read MySQL 8 transaction payloads: a MySQL-written binlog prefers MySQL's tools. */
    static BinlogApplier.Tools tools(Path mysqlbinlog, Path mysql, FormatDescription head) {
        boolean mariadb = head.mariadb();
        return new BinlogApplier.Tools(
                mariadb ? Programs.require(mysqlbinlog, "--mysqlbinlog", "mariadb-binlog", "mysqlbinlog")
                        : Programs.require(mysqlbinlog, "--mysqlbinlog", "mysqlbinlog", "mariadb-binlog"),
                mariadb ? Programs.require(mysql, "--mysql", "mariadb", "mysql")
                        : Programs.require(mysql, "--mysql", "mysql", "mariadb"));
    }

    static FormatDescription headFormat(Path binlog) throws IOException {
        try (BinlogReader reader = BinlogReader.open(binlog)) {
            if (!reader.next() || reader.header().type() != EventType.FORMAT_DESCRIPTION) {
                throw new AgentFailure(binlog + " does not start with a format description");
            }
            return reader.formatDescription();
        }
    }

    static void checkHost(String host) {
        try {
            java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new AgentFailure("unknown host " + host);
        }
    }
}
