package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.SelfCheckAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code mha check-agents} asks every host (MHA's masterha_check_ssh): the agent runs here, at
 * which version, and can read the binlog directory a failover would salvage from when this host's
 * master dies. Reads only.
 */
@Command(name = Subcommand.SELF_CHECK,
        header = "Report the agent's version and check that it can read the binlog directory.",
        mixinStandardHelpOptions = true,
        description = {"Prints the agent's version and Java version; with --binlog-dir, checks that the directory exists, is "
                        + "readable and listable, and counts its binlog files (those a *.index file lists, else every file).",
                "JSON: {\"status\":\"ok\",\"version\":\"…\",\"binlogDir\":\"…\",\"binlogFiles\":N,\"java\":\"…\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":the agent runs and reads the directory", ExitCodes.ERROR + ":the directory is missing or unreadable",
                ExitCodes.USAGE + ":usage error"})
final class SelfCheckCommand extends AgentCommand {

    @Option(names = "--binlog-dir", paramLabel = "DIR", description = "the server's binlog directory (its binlogDir)")
    Path binlogDir;

    @Override
    Outcome execute() throws Exception {
        String version = new AgentCommandLine.Version().getVersion()[0];
        long files = 0;
        if (binlogDir != null) {
            files = binlogFiles(binlogDir);
            log().accept("binlog directory " + binlogDir + ": readable, " + files + " binlog files");
        }
        return Outcome.ok(new SelfCheckAnswer("ok", version, binlogDir == null ? "" : binlogDir.toString(), files,
                System.getProperty("java.version")).toJson());
    }

    private static long binlogFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AgentFailure("binlog directory " + dir + ": " + (Files.exists(dir) ? "not a directory" : "does not exist"));
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new AgentFailure("binlog directory " + dir + ": not readable by " + System.getProperty("user.name"));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            var all = entries.filter(Files::isRegularFile).toList();
            var indexes = all.stream().filter(p -> p.getFileName().toString().endsWith(".index")).toList();
            if (indexes.isEmpty()) {
                return all.size();
            }
            long listed = 0;
            for (Path index : indexes) {
                if (!Files.isReadable(index)) {
                    throw new AgentFailure("binlog index " + index + ": not readable by " + System.getProperty("user.name"));
                }
                listed += Files.readAllLines(index).stream().filter(l -> !l.isBlank()).count();
            }
            return listed;
        } catch (IOException e) {
            throw new AgentFailure("binlog directory " + dir + ": " + e.getMessage());
        }
    }
}
