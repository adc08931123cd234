package io.mhaserverless.node;

import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.SaveBinlogAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import io.mhaserverless.node.binlog.BinlogDirectory;
import io.mhaserverless.node.binlog.BinlogTailSaver;
import io.mhaserverless.node.binlog.SourceCoordinate;
import io.mhaserverless.node.binlog.DiffBuilder;
import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MHA's save_binary_logs: the dead master's binlog tail as one raw binlog file. */
@Command(name = Subcommand.SAVE_BINLOG,
        header = "Save the (dead) master's binlog tail as one raw binlog file (MHA save_binary_logs).",
        mixinStandardHelpOptions = true,
        description = {"Saves the binlog tail of this host's (dead) MySQL/MariaDB server as ONE raw binlog file: the magic "
                        + "bytes, the start file's format description, then every event from the start to the end of the newest "
                        + "binlog, across rotations in sequence order (later files' head events and ROTATEs left out). A final "
                        + "event cut off by a crash is dropped (truncatedTail). The file is read back before it is reported.",
                "With --check (MHA: save_binary_logs --command=test) nothing is written: it only checks that the "
                        + "directory holds the --from file, readable, starting with the binlog magic bytes and at least "
                        + "--from's position long. JSON: {\"status\":\"ok\",\"binlogDir\",\"files\",\"fromFile\",\"fileBytes\"}",
                "With --apply-to H:P the saved events are then applied to that server in the same run, as apply-diff "
                        + "--binlog does (mysqlbinlog | mysql --binary-mode, groups whose GTID is in --skip-gtids left out), so a "
                        + "failover starts one agent instead of two; the file is kept. Exit 13 (status \"not-saved\") means the "
                        + "save failed and nothing was applied; any other failure may have applied part of it.",
                "JSON: "
                        + "{\"status\":\"ok\"|\"nothing-newer\",\"out\",\"bytes\",\"events\",\"transactions\",\"fromFile\",\"fromPos\", "
                        + "\"lastFile\",\"lastEndPos\",\"truncatedTail\",\"lastTransactionComplete\",\"gtids\"[,\"appliedTo\",\"appliedEvents\",\"appliedTransactions\",\"skipped\"]}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK + ":saved",
                ExitCodes.ERROR + ":error (missing directory or file, position not in the binlog, unreadable binlog)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.NOTHING_NEWER + ":nothing newer: no event after the start (status \"nothing-newer\", no file written)",
                ExitCodes.NOT_SAVED + ":with --apply-to: the binlog could not be saved, nothing was applied (status \"not-saved\")"})
final class SaveBinlogCommand extends AgentCommand {

    @Option(names = "--binlog-dir", required = true, paramLabel = "DIR", description = "directory of the binlog files (MHA: master_binlog_dir)")
    Path binlogDir;

    @Option(names = "--binlog-prefix", defaultValue = "mysql-bin", paramLabel = "PREFIX",
            description = "binlog base name (default: ${DEFAULT-VALUE})")
    String prefix;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StartOption start;

    static final class StartOption {
        @Option(names = "--from", paramLabel = "FILE:POS", converter = CoordinateConverter.class,
                description = "start at this event boundary (normally a transaction boundary), e.g. mysql-bin.000002:1234")
        SourceCoordinate from;

        @Option(names = "--from-gtid", paramLabel = "SET",
                description = "start at the first event group whose GTID is not in SET: MariaDB 0-1-1003[,1-2-7…] or MySQL uuid:1-5[,…]")
        String fromGtid;
    }

    @Option(names = "--out", paramLabel = "FILE", description = "the raw binlog file to write (required unless --check)")
    Path out;

    @Option(names = "--check", description = "write nothing: only check that the binlog can be read from --from")
    boolean check;

    @Option(names = "--apply-to", paramLabel = "H:P",
            description = "then apply the saved events to this server in the same run (as apply-diff --binlog)")
    String applyTo;

    @Option(names = "--skip-gtids", paramLabel = "SET",
            description = "with --apply-to: the target's executed GTIDs; groups it already has are not applied again")
    String skipGtids;

    @Option(names = "--credentials-file", paramLabel = "F", description = "with --apply-to: user= / password= (else MHA_USER / MHA_PASSWORD)")
    Path credentialsFile;

    @Option(names = "--mysqlbinlog", paramLabel = "PATH", description = "with --apply-to: mysqlbinlog to use (default: mariadb-binlog or mysqlbinlog)")
    Path mysqlbinlog;

    @Option(names = "--mysql", paramLabel = "PATH", description = "with --apply-to: client to use (default: mariadb or mysql)")
    Path mysql;

    @Option(names = "--start-by", paramLabel = "EPOCH_MS",
            description = "with --apply-to: a run that starts after this time (milliseconds since the epoch) saves and applies nothing"
                    + " (status \"too-late\", exit " + ExitCodes.NOT_SAVED + "): its caller has stopped waiting for it")
    Long startBy;

    @Option(names = "--timeout-seconds", defaultValue = "3600", paramLabel = "S",
            description = "with --apply-to: limit for the apply (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    Outcome execute() throws Exception {
        if (check) {
            if (start.from == null) {
                throw usage("--check needs --from FILE:POS");
            }
            if (applyTo != null) {
                throw usage("--check writes and applies nothing: it does not take --apply-to");
            }
            return check(start.from);
        }
        if (applyTo == null && (skipGtids != null || credentialsFile != null || startBy != null)) {
            throw usage((skipGtids != null ? "--skip-gtids" : credentialsFile != null ? "--credentials-file" : "--start-by")
                    + " needs --apply-to");
        }
        long now = System.currentTimeMillis();
        if (startBy != null && now > startBy) {
            // SSM delivered the command after the controller gave up on it and went on without the tail:
            // applying it now would put the old master's last transactions behind the new master's own writes
            String why = "started " + (now - startBy) + " ms after --start-by: the caller no longer waits for this run";
            log().accept("too late, nothing saved or applied: " + why);
            return new Outcome(Json.error("too-late", why), ExitCodes.NOT_SAVED);
        }
        if (out == null) {
            throw usage("Missing required option: '--out=FILE'");
        }
        BinlogTailSaver.Start from;
        if (start.from != null) {
            from = new BinlogTailSaver.Start.At(start.from);
        } else {
            try {
                from = new BinlogTailSaver.Start.AfterGtids(GtidSet.parse(start.fromGtid));
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '--from-gtid': " + e.getMessage());
            }
        }
        Target target = null;
        AgentCredentials credentials = null;
        if (applyTo != null) {
            target = Target.parse(applyTo);
            if (target == null) {
                throw usage("--apply-to must be HOST:PORT with a port 1..65535, was '" + applyTo + "'");
            }
            if (skipGtids != null && !skipGtids.isBlank()) {
                try {
                    GtidSet.parse(skipGtids);
                } catch (RuntimeException e) {
                    throw usage("--skip-gtids: not a GTID set: '" + skipGtids + "'");
                }
            }
            credentials = Credentials.resolve(credentialsFile, System.getenv());
            ApplyDiffCommand.checkHost(target.host());
        }
        BinlogTailSaver.Result r;
        try {
            r = save(from);
        } catch (Exception e) {
            if (target == null) {
                throw e;
            }
            // The caller must know that nothing reached the target: it fails over without the tail
            // (and says so) instead of retrying an apply that never began.
            String why = e instanceof AgentFailure || e.getMessage() != null ? e.getMessage() : e.toString();
            log().accept("not saved, nothing applied: " + why);
            return new Outcome(Json.error("not-saved", why), ExitCodes.NOT_SAVED);
        }
        String appliedTo = null;
        DiffBuilder.Built applied = null;
        if (target != null) {
            applied = r.nothingNewer() ? null : apply(target, credentials);
            appliedTo = target.host() + ":" + target.port();
        }
        SaveBinlogAnswer answer = new SaveBinlogAnswer(r.nothingNewer() ? SaveBinlogAnswer.NOTHING_NEWER : "ok", out.toString(),
                r.bytes(), r.events(), r.transactions(), r.from().file(), r.from().position(), r.lastEnd().file(),
                r.lastEnd().position(), r.truncatedTail(), r.lastTransactionComplete(), r.gtids(), appliedTo,
                applied == null ? 0 : applied.events(), applied == null ? 0 : applied.transactions(),
                applied == null ? 0 : applied.skipped());
        return new Outcome(answer.toJson(), r.nothingNewer() ? ExitCodes.NOTHING_NEWER : ExitCodes.OK);
    }

    private BinlogTailSaver.Result save(BinlogTailSaver.Start from) throws Exception {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new AgentFailure("--out " + out + ": directory " + parent + " does not exist");
        }
        BinlogDirectory directory = BinlogDirectory.scan(binlogDir, prefix);
        return new BinlogTailSaver(directory, log()).save(from, out);
    }

    /** The saved file as apply-diff --binlog applies it: groups the target has left out, then mysqlbinlog | mysql. */
    private DiffBuilder.Built apply(Target target, AgentCredentials credentials) throws Exception {
        Path merged = OwnedTempFiles.createFile(OwnedTempFiles.defaultDirectory(), "saved", ".binlog");
        try {
            DiffBuilder builder = new DiffBuilder(log());
            if (skipGtids != null && !skipGtids.isBlank()) {
                builder.skipping(skipGtids);
            }
            DiffBuilder.Built built = builder.build(null, null, null, List.of(out), merged);
            if (built.events() > 0) {
                long t0 = System.nanoTime();
                new BinlogApplier(ApplyDiffCommand.tools(mysqlbinlog, mysql, ApplyDiffCommand.headFormat(merged)), log(), timeoutSeconds)
                        .apply(merged, target.host(), target.port(), credentials);
                log().accept("applied " + built.transactions() + " transactions to " + target.host() + ":" + target.port() + " in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (" + built.skipped() + " groups it had left out)");
            } else {
                log().accept("nothing to apply: " + target.host() + ":" + target.port() + " has every saved transaction");
            }
            return built;
        } finally {
            Files.deleteIfExists(merged);
        }
    }

    /** --apply-to's HOST:PORT; the port follows the last colon. Null when malformed. */
    record Target(String host, int port) {
        static Target parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return null;
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                return port < 1 || port > 65535 ? null : new Target(text.substring(0, colon), port);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * A failover asks this before it changes anything: a directory that is missing, unreadable or
     * another server's would lose the dead master's last transactions without a word.
     */
    private Outcome check(SourceCoordinate from) throws java.io.IOException {
        BinlogDirectory directory = BinlogDirectory.scan(binlogDir, prefix);
        if (directory.indexOf(from.file()) < 0) {
            throw new AgentFailure("binlog directory " + binlogDir + " has no " + from.file() + " (it has " + directory.describe() + ")");
        }
        Path file = directory.directory().resolve(from.file());
        try (var reader = io.mhaserverless.node.binlog.BinlogReader.open(file)) {
            long size = Files.size(file);
            if (size < from.position()) {
                throw new AgentFailure(file + " is " + size + " bytes, shorter than position " + from.position()
                        + " that the replicas received from it: not this server's binlog");
            }
            return Outcome.ok(new io.mhaserverless.node.protocol.JsonObject().put("status", "ok").put("binlogDir", binlogDir.toString())
                    .put("files", directory.describe()).put("fromFile", from.file()).put("fileBytes", size));
        }
    }
}
