package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.FindRelayPositionAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import io.mhaserverless.node.binlog.RelayLogIndex;
import io.mhaserverless.node.binlog.RelayPosition;
import io.mhaserverless.node.binlog.RelayPositionFinder;
import io.mhaserverless.node.binlog.SourceCoordinate;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MHA's find_target_relay_log / fast_find_pos. */
@Command(name = Subcommand.FIND_RELAY_POSITION,
        header = "Find the relay-log offset right after a source coordinate (MHA find_target_relay_log).",
        mixinStandardHelpOptions = true,
        description = {"Finds where, in this replica's relay logs, the events after a source coordinate start: the relay "
                        + "file and offset right after the event whose header end position equals --source-pos while the source "
                        + "file is --source-file (offsets summed from event lengths). A lagging replica's Relay_Master_Log_File "
                        + "/ Exec_Master_Log_Pos is the usual coordinate.",
                "JSON: "
                        + "{\"status\":\"ok\",\"relayFile\",\"relayPos\",\"sourceFile\",\"sourcePos\",\"relayPath\",\"filesScanned\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK + ":found",
                ExitCodes.ERROR + ":error (missing index or relay file, unreadable relay log)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.POSITION_NOT_FOUND + ":not found: no relay-log event ends at that source position (status \"not-found\")"})
final class FindRelayPositionCommand extends AgentCommand {

    @Option(names = "--relay-log-index", required = true, paramLabel = "FILE", description = "the replica's relay-log index (relay-bin.index)")
    Path index;

    @Option(names = "--source-file", required = true, paramLabel = "FILE", description = "source binlog file, e.g. mysql-bin.000002")
    String sourceFile;

    @Option(names = "--source-pos", required = true, paramLabel = "N", description = "source position (end of an event), e.g. 1234")
    long sourcePos;

    @Override
    Outcome execute() throws Exception {
        SourceCoordinate target;
        try {
            target = new SourceCoordinate(sourceFile, sourcePos);
        } catch (IllegalArgumentException e) {
            throw usage("--source-file / --source-pos: " + e.getMessage());
        }
        RelayPosition p = new RelayPositionFinder(RelayLogIndex.read(index), log()).find(target);
        return Outcome.ok(new FindRelayPositionAnswer("ok", p.relayFile().getFileName().toString(), p.relayPos(), target.file(),
                target.position(), p.relayFile().toString(), p.filesScanned()).toJson());
    }
}
