package io.mhaserverless.node;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.PurgeRelayLogsAnswer;
import io.mhaserverless.node.protocol.Subcommand;
import io.mhaserverless.node.binlog.RelayLogIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MHA's purge_relay_logs, for cron on every replica that keeps its relay logs
 * (relay_log_purge=OFF): purges the relay logs the SQL thread is done with, without blocking it on
 * the deletion of big files, and never while a failover may need them.
 */
@Command(name = Subcommand.PURGE_RELAY_LOGS,
        header = "Purge a replica's relay logs without blocking its SQL thread (MHA purge_relay_logs).",
        mixinStandardHelpOptions = true,
        description = {"Purges the relay logs of a replica that runs with relay_log_purge=OFF (MHA's purge_relay_logs): "
                        + "takes GET_LOCK('MHA_Master_High_Availability_Failover', 0) and refuses while a failover holds it; "
                        + "hard-links the relay logs into --workdir (or keeps them open when linking is impossible) so the "
                        + "server's unlink is cheap; SET GLOBAL relay_log_purge=1; FLUSH NO_WRITE_TO_BINLOG RELAY LOGS; waits; "
                        + "relay_log_purge=0; removes the links.",
                "Run it on the replica's host: it reads the relay-log index. JSON: "
                        + "{\"status\":\"ok\",\"purged\":[names],\"detail\"}"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":purged (or nothing to do)", ExitCodes.ERROR + ":error (failover lock held, cannot connect, not permitted)",
                ExitCodes.USAGE + ":usage error"})
final class PurgeRelayLogsCommand extends AgentCommand {

    static final String FAILOVER_LOCK = "MHA_Master_High_Availability_Failover";

    @Option(names = "--host", required = true, paramLabel = "H")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P")
    int port;

    @Option(names = "--credentials-file", paramLabel = "F", description = "user= / password= (else MHA_USER / MHA_PASSWORD)")
    Path credentialsFile;

    @Option(names = "--workdir", defaultValue = "/var/tmp", paramLabel = "DIR",
            description = "where the hard links live while the server purges (default: ${DEFAULT-VALUE}; MHA's default too)")
    Path workdir;

    @Option(names = "--wait-ms", defaultValue = "3000", paramLabel = "MS", hidden = true,
            description = "how long relay_log_purge stays ON after the flush (MHA: 3 s)")
    long waitMs;

    @Override
    Outcome execute() throws Exception {
        if (port < 1 || port > 65535) {
            throw usage("--port must be 1..65535, was " + port);
        }
        ApplyDiffCommand.checkHost(host);
        AgentCredentials credentials = Credentials.resolve(credentialsFile, System.getenv());
        if (!Files.isDirectory(workdir)) {
            throw new AgentFailure("--workdir " + workdir + " does not exist");
        }
        // core's connector: the same driver settings as the failover engine, and the server's Flavor. The agent
        // has no cluster config: TLS when the server offers it (the default of the config's tls.mode).
        Connector connector = new Connector(credentials.user(), credentials.password(), Duration.ofSeconds(5), Duration.ofSeconds(60),
                TlsConfig.preferred());
        ServerConfig server = new ServerConfig(host, host, port, false, false, false, Optional.empty(), Optional.empty());
        try (ServerSession s = connector.open(server)) {
            // the lock is the connection's: it is held while this session lives
            if (s.queryRow("SELECT GET_LOCK('" + FAILOVER_LOCK + "', 0) AS locked").map(r -> r.number("locked", -1)).orElse(-1L) != 1) {
                throw new AgentFailure("a failover holds " + FAILOVER_LOCK + " on " + host + ":" + port + ": relay logs are not purged now");
            }
            try {
                return purge(s);
            } finally {
                s.execute("DO RELEASE_LOCK('" + FAILOVER_LOCK + "')");
            }
        } catch (ServerUnreachableException | ServerRefusedException e) {
            throw new AgentFailure(e.getMessage(), e);
        } catch (SQLException e) {
            throw new AgentFailure(host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private Outcome purge(ServerSession s) throws SQLException, IOException, InterruptedException {
        List<String> purged = new ArrayList<>();
        ServerFacts facts = s.facts();
        if (facts.relayLogPurge()) {
            log().accept("relay_log_purge is ON: the server purges its relay logs itself");
            return Outcome.ok(new PurgeRelayLogsAnswer("ok", purged, "relay_log_purge is ON: nothing to do").toJson());
        }
        if (s.replicaStatus().isEmpty()) {
            log().accept(host + ":" + port + " is not a replica");
            return Outcome.ok(new PurgeRelayLogsAnswer("ok", purged, "not a replica: nothing to do").toJson());
        }
        Path indexFile = relayLogIndex(facts);
        List<Path> before = RelayLogIndex.read(indexFile).files();
        Path links = io.mhaserverless.node.protocol.OwnedTempFiles.createDirectory(workdir, "purge-relay-logs");
        List<FileChannel> held = new ArrayList<>();
        try {
            hold(before, links, held);
            s.setRelayLogPurge(true);
            try {
                s.flushRelayLogs();
                log().accept("FLUSH NO_WRITE_TO_BINLOG RELAY LOGS; relay_log_purge ON for " + waitMs + " ms");
                Thread.sleep(waitMs);
            } finally {
                s.setRelayLogPurge(false);
            }
            Set<Path> after = new LinkedHashSet<>(RelayLogIndex.read(indexFile).files());
            for (Path f : before) {
                if (!after.contains(f)) {
                    purged.add(f.getFileName().toString());
                }
            }
        } finally {
            for (FileChannel ch : held) {
                ch.close();
            }
            try (var stream = Files.list(links)) {
                for (Path link : stream.toList()) {
                    Files.deleteIfExists(link);
                }
            }
            Files.deleteIfExists(links);
        }
        log().accept("purged " + purged.size() + " relay log(s): " + purged);
        return Outcome.ok(new PurgeRelayLogsAnswer("ok", purged, "purged " + purged.size() + " of " + before.size() + " relay logs").toJson());
    }

    /** Hard links keep the data alive after the server's unlink; across file systems an open file does the same. */
    private void hold(List<Path> files, Path links, List<FileChannel> held) throws IOException {
        int linked = 0;
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            try {
                Files.createLink(links.resolve(f.getFileName()), f);
                linked++;
            } catch (IOException | UnsupportedOperationException e) {
                held.add(FileChannel.open(f, StandardOpenOption.READ));
            }
        }
        log().accept("hard-linked " + linked + " relay log(s) into " + links + (held.isEmpty() ? "" : ", holding " + held.size() + " open"));
    }

    /** The relay-log index the server names (relative names resolved against its datadir), which must be a file on this host. */
    private Path relayLogIndex(ServerFacts facts) {
        Path p = facts.relayLogIndex().map(Path::of).orElseThrow(() -> new AgentFailure(host + ":" + port
                + " does not say where its relay-log index is (relay_log_index is empty)"));
        if (!Files.isRegularFile(p)) {
            throw new AgentFailure("the relay-log index " + p + " of " + host + ":" + port + " is not on this host");
        }
        return p;
    }
}
