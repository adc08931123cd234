package io.mhaserverless.node;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
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
        Properties p = new Properties();
        p.setProperty("user", credentials.user());
        p.setProperty("password", credentials.password());
        String url = "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=5000&socketTimeout=60000";
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            if (queryLong(s, "SELECT GET_LOCK('" + FAILOVER_LOCK + "', 0)") != 1) {
                throw new AgentFailure("a failover holds " + FAILOVER_LOCK + " on " + host + ":" + port + ": relay logs are not purged now");
            }
            try {
                return purge(s);
            } finally {
                s.execute("DO RELEASE_LOCK('" + FAILOVER_LOCK + "')");
            }
        } catch (SQLException e) {
            throw new AgentFailure(host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private Outcome purge(Statement s) throws SQLException, IOException, InterruptedException {
        List<String> purged = new ArrayList<>();
        if (queryLong(s, "SELECT @@GLOBAL.relay_log_purge") == 1) {
            log().accept("relay_log_purge is ON: the server purges its relay logs itself");
            return Outcome.ok(new PurgeRelayLogsAnswer("ok", purged, "relay_log_purge is ON: nothing to do").toJson());
        }
        if (!isReplica(s)) {
            log().accept(host + ":" + port + " is not a replica");
            return Outcome.ok(new PurgeRelayLogsAnswer("ok", purged, "not a replica: nothing to do").toJson());
        }
        Path indexFile = relayLogIndex(s);
        List<Path> before = RelayLogIndex.read(indexFile).files();
        Path links = Files.createTempDirectory(workdir, "mha-purge-relay-logs-");
        List<FileChannel> held = new ArrayList<>();
        try {
            hold(before, links, held);
            s.execute("SET GLOBAL relay_log_purge = 1");
            try {
                s.execute("FLUSH NO_WRITE_TO_BINLOG RELAY LOGS");
                log().accept("FLUSH NO_WRITE_TO_BINLOG RELAY LOGS; relay_log_purge ON for " + waitMs + " ms");
                Thread.sleep(waitMs);
            } finally {
                s.execute("SET GLOBAL relay_log_purge = 0");
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

    private static boolean isReplica(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next();
        }
    }

    /** @@relay_log_index, else relay_log_basename + ".index", else the datadir's default name. */
    private Path relayLogIndex(Statement s) throws SQLException {
        String index = queryString(s, "SELECT @@GLOBAL.relay_log_index");
        String datadir = queryString(s, "SELECT @@GLOBAL.datadir");
        if (index == null || index.isBlank()) {
            String base = queryString(s, "SELECT @@GLOBAL.relay_log_basename");
            if (base == null || base.isBlank()) {
                throw new AgentFailure(host + ":" + port + " does not say where its relay-log index is (relay_log_index is empty)");
            }
            index = base + ".index";
        }
        Path p = Path.of(index);
        if (!p.isAbsolute()) {
            p = Path.of(datadir).resolve(p);
        }
        if (!Files.isRegularFile(p)) {
            throw new AgentFailure("the relay-log index " + p + " of " + host + ":" + port + " is not on this host");
        }
        return p;
    }

    private static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? -1 : v;
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
