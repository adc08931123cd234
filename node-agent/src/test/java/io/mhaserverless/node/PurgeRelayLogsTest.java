package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
class PurgeRelayLogsTest {

    private static List<String> relayFiles(ServerNode replica) throws IOException {
        return Files.readAllLines(Servers.relayIndex(replica)).stream().map(l -> Path.of(l.strip()).getFileName().toString()).toList();
    }

    private static ServerNode replicaWithSeveralRelayLogs(Sandbox sandbox) {
        ServerNode replica = sandbox.replicas().get(0);
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(400))");
        for (int i = 0; i < 3; i++) {
            Servers.insertRows(sandbox.master(), "app.t", i * 100, 20);
            sandbox.sync(Duration.ofSeconds(30));
            replica.flushRelayLogs();
        }
        sandbox.sync(Duration.ofSeconds(30));
        return replica;
    }

    private static AgentRun purge(ServerNode replica, Path dir) {
        return AgentRun.of("purge-relay-logs", "--host", replica.host(), "--port", Integer.toString(replica.port()),
                "--credentials-file", Servers.credentialsFile(dir).toString(), "--workdir", dir.toString(), "--wait-ms", "1500");
    }

    @Test
    void theRelayLogsTheSqlThreadIsDoneWithArePurgedAndReplicationGoesOn(Sandbox sandbox, @TempDir Path dir) throws Exception {
        ServerNode replica = replicaWithSeveralRelayLogs(sandbox);
        List<String> before = relayFiles(replica);
        assertThat(before).hasSizeGreaterThanOrEqualTo(4);

        AgentRun run = purge(replica, dir);

        assertThat(run.exit()).as(run.toString()).isZero();
        List<String> after = relayFiles(replica);
        List<String> purged = Stream.of(run.json().path("purged").elements()).flatMap(it -> {
            List<String> names = new java.util.ArrayList<>();
            it.forEachRemaining(n -> names.add(n.asText()));
            return names.stream();
        }).toList();
        assertThat(purged).isNotEmpty().containsExactlyElementsOf(before.stream().filter(f -> !after.contains(f)).toList());
        for (String f : purged) {
            assertThat(replica.dataDir().resolve(f)).doesNotExist();
        }
        assertThat(replica.queryString("SELECT @@GLOBAL.relay_log_purge")).contains("0");
        assertThat(replica.replicaStatus("Slave_IO_Running")).contains("Yes");
        assertThat(replica.replicaStatus("Slave_SQL_Running")).contains("Yes");
        Servers.insertRows(sandbox.master(), "app.t", 1000, 20);
        assertThat(sandbox.syncAndChecksum(sandbox.master(), Duration.ofSeconds(30)).consistent()).isTrue();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("mha-purge-relay-logs"));
        }
    }

    @Test
    void itRefusesWhileAFailoverHoldsTheLock(Sandbox sandbox, @TempDir Path dir) throws Exception {
        ServerNode replica = replicaWithSeveralRelayLogs(sandbox);
        List<String> before = relayFiles(replica);
        try (Connection failover = replica.connect(); Statement s = failover.createStatement();
             ResultSet rs = s.executeQuery("SELECT GET_LOCK('MHA_Master_High_Availability_Failover', 5)")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);

            AgentRun run = purge(replica, dir);

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.json().path("error").asText()).contains("MHA_Master_High_Availability_Failover")
                    .contains(replica.host() + ":" + replica.port());
        }
        assertThat(relayFiles(replica)).isEqualTo(before);
    }

    @Test
    void badInputExitsWithAnErrorThatNamesIt(@TempDir Path dir) {
        SaveBinlogTest.assertError(AgentRun.of("purge-relay-logs", "--host", "no-such-host.invalid", "--port", "3306",
                "--credentials-file", Servers.credentialsFile(dir).toString()), 1, "no-such-host.invalid");
        SaveBinlogTest.assertError(AgentRun.of("purge-relay-logs", "--host", "127.0.0.1", "--port", "1",
                "--credentials-file", Servers.credentialsFile(dir).toString(), "--workdir", dir.toString()), 1, "127.0.0.1:1");
        SaveBinlogTest.assertError(AgentRun.of("purge-relay-logs", "--host", "127.0.0.1", "--port", "3306",
                "--credentials-file", Servers.credentialsFile(dir).toString(), "--workdir", dir.resolve("none").toString()), 1,
                dir.resolve("none").toString());
    }
}
