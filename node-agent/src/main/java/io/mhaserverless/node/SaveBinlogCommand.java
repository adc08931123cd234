package io.mhaserverless.node;

import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.SaveBinlogAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import io.mhaserverless.node.binlog.BinlogDirectory;
import io.mhaserverless.node.binlog.BinlogTailSaver;
import io.mhaserverless.node.binlog.SourceCoordinate;
import java.nio.file.Files;
import java.nio.file.Path;
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
                "JSON: "
                        + "{\"status\":\"ok\"|\"nothing-newer\",\"out\",\"bytes\",\"events\",\"transactions\",\"fromFile\",\"fromPos\", "
                        + "\"lastFile\",\"lastEndPos\",\"truncatedTail\",\"lastTransactionComplete\",\"gtids\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK + ":saved",
                ExitCodes.ERROR + ":error (missing directory or file, position not in the binlog, unreadable binlog)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.NOTHING_NEWER + ":nothing newer: no event after the start (status \"nothing-newer\", no file written)"})
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

    @Override
    Outcome execute() throws Exception {
        if (check) {
            if (start.from == null) {
                throw usage("--check needs --from FILE:POS");
            }
            return check(start.from);
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
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new AgentFailure("--out " + out + ": directory " + parent + " does not exist");
        }
        BinlogDirectory directory = BinlogDirectory.scan(binlogDir, prefix);
        BinlogTailSaver.Result r = new BinlogTailSaver(directory, log()).save(from, out);
        SaveBinlogAnswer answer = new SaveBinlogAnswer(r.nothingNewer() ? SaveBinlogAnswer.NOTHING_NEWER : "ok", out.toString(),
                r.bytes(), r.events(), r.transactions(), r.from().file(), r.from().position(), r.lastEnd().file(),
                r.lastEnd().position(), r.truncatedTail(), r.lastTransactionComplete(), r.gtids());
        return new Outcome(answer.toJson(), r.nothingNewer() ? ExitCodes.NOTHING_NEWER : ExitCodes.OK);
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
