package io.mhaserverless.core.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.local.RejoinRun;
import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.testbed.SandboxCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The old master's way back after a dead-master failover, on real servers, through asl.json's rejoin
 * branch: a clean old master becomes a read-only replica of the new master and follows its writes;
 * one that committed transactions no survivor received is refused, the report names them (GTIDs, or
 * the binlog range), and nothing changes on any server. Both by GTID and by file and position.
 */
class RejoinTest {

    private static final Duration SYNC = Duration.ofSeconds(30);

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aCleanOldMasterRejoinsByGtid(Sandbox sandbox) {
        cleanOldMasterRejoins(sandbox);
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void aCleanOldMasterRejoinsByFileAndPosition(Sandbox sandbox) {
        RejoinRun.Result result = cleanOldMasterRejoins(sandbox);
        assertThat(result.state().gtid()).isFalse();
        assertThat(result.report().text()).contains("Compared by file and position: ").contains("holds no transaction after ");
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aDivergedOldMasterIsRefusedByGtidNamingItsTransactions(Sandbox sandbox) {
        ServerNode db1 = sandbox.node("db1");
        createTable(sandbox);
        long before = sequence(db1);
        ClusterConfig config = diverge(sandbox);
        // db2 has written sequence numbers of its own in domain 0 beyond db1's: only a comparison per server sees db1's
        assertThat(sequence(sandbox.node("db2"))).isGreaterThan(before + 2);
        Map<String, String> fingerprint = fingerprint(sandbox);
        RejoinRun.Result result = RejoinRun.run(config, state(sandbox), "db1");
        String extra = "0-" + db1.serverId() + "-" + (before + 1) + "..0-" + db1.serverId() + "-" + (before + 2);
        refused(sandbox, result, fingerprint, "holds transactions the master " + label(config, "db2") + " lacks: GTIDs " + extra);
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void aDivergedOldMasterIsRefusedByFileAndPositionNamingTheBinlogRange(Sandbox sandbox) {
        ServerNode db1 = sandbox.node("db1");
        createTable(sandbox);
        String end = masterStatus(db1);
        ClusterConfig config = diverge(sandbox);
        Map<String, String> fingerprint = fingerprint(sandbox);
        RejoinRun.Result result = RejoinRun.run(config, state(sandbox), "db1");
        refused(sandbox, result, fingerprint, "holds transactions the master " + label(config, "db2") + " lacks: binlog " + end + " .. ",
                "(2 transactions, GTIDs ", "after " + end + ", where the new master took its transactions over");
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void aSwitchoversOldMasterLeftAloneRejoinsByFileAndPositionFromTheSwitchoversRecord(Sandbox sandbox) {
        ClusterConfig config = config(sandbox);
        ServerNode db1 = sandbox.node("db1");
        ServerNode db2 = sandbox.node("db2");
        createTable(sandbox);
        SwitchoverRun.Result switched = SwitchoverRun.run(config, state(sandbox), WriterIp.NONE, SwitchoverRun.Request.to("db2"));
        assertThat(switched.outcome()).as(switched.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
        db2.execute("INSERT INTO app.t VALUES (7), (8)");

        RejoinRun.Result result = RejoinRun.run(config, state(sandbox), "db1");

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
        assertThat(result.state().savedUpTo()).isEqualTo(switched.state().finalBinlog());
        assertThat(result.state().startAt()).isEqualTo(switched.state().newMasterBinlog());
        assertThat(db1.replicaStatus("Master_Port")).hasValue(Integer.toString(db2.port()));
        Checksums sums = sandbox.syncAndChecksum(db2, SYNC);
        assertThat(sums.consistent()).as(sums.differences()).isTrue();
        assertThat(db1.queryString("SELECT COUNT(*) FROM app.t")).hasValue("2");
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void aWriteBetweenTheCheckAndTheRejoinIsFoundAgainAndChangesNothing(Sandbox sandbox) {
        ClusterConfig config = config(sandbox);
        ServerNode db1 = sandbox.node("db1");
        createTable(sandbox);
        db1.kill();
        failover(sandbox, config);
        db1.start();
        FailoverContext context = FailoverContext.builder(() -> config).waitTimeout(SYNC).build();
        RejoinState checked = new CheckRejoin(List.of()).run(RejoinState.start("test", "db1", 0), context);
        assertThat(checked.master()).isEqualTo("db2");
        db1.execute("INSERT INTO app.t VALUES (300)"); // a client of the writable returning master
        long own = sequence(db1);
        Map<String, String> fingerprint = fingerprint(sandbox);

        assertThatThrownBy(() -> new RejoinAsReplica().run(checked, context)).isInstanceOf(FailoverException.class)
                .hasMessageContaining("holds transactions the master " + label(config, "db2") + " lacks: GTIDs 0-" + db1.serverId()
                        + "-" + own + " (written after CheckRejoin looked). Nothing was changed");
        assertThat(fingerprint(sandbox)).isEqualTo(fingerprint);
        assertThat(db1.queryString("SELECT @@read_only")).hasValue("0");
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void theMasterItselfOrADeadServerIsRefused(Sandbox sandbox) {
        ClusterConfig config = config(sandbox);
        Map<String, String> fingerprint = fingerprint(sandbox);
        refused(sandbox, RejoinRun.run(config, state(sandbox), "db1"), fingerprint, "is the master: there is nothing to rejoin");
        sandbox.node("db2").kill();
        fingerprint = fingerprint(sandbox);
        refused(sandbox, RejoinRun.run(config, state(sandbox), "db2"), fingerprint, "does not answer (");
        refused(sandbox, RejoinRun.run(config, state(sandbox), "db9"), fingerprint, "server db9: no such server (servers: db1, db2)");
    }

    private static RejoinRun.Result cleanOldMasterRejoins(Sandbox sandbox) {
        ClusterConfig config = config(sandbox);
        ServerNode db1 = sandbox.node("db1");
        ServerNode db2 = sandbox.node("db2");
        db1.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2), (3)");
        sandbox.sync(SYNC);
        db1.kill();
        failover(sandbox, config);
        db2.execute("INSERT INTO app.t VALUES (4), (5)");
        db1.start();

        RejoinRun.Result result = RejoinRun.run(config, state(sandbox), "db1");

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
        assertThat(result.report().subject()).isEqualTo("test: db1 rejoin as a replica succeeded");
        assertThat(result.report().text()).contains("replicating from " + label(config, "db2") + ", caught up; read_only ON");
        assertThat(db1.replicaStatus("Master_Port")).hasValue(Integer.toString(db2.port()));
        assertThat(db1.replicaStatus("Slave_IO_Running")).hasValue("Yes");
        assertThat(db1.replicaStatus("Slave_SQL_Running")).hasValue("Yes");
        assertThat(db1.queryString("SELECT @@read_only")).hasValue("1");
        db2.execute("INSERT INTO app.t VALUES (6)");
        Checksums sums = sandbox.syncAndChecksum(db2, SYNC);
        assertThat(sums.consistent()).as(sums.differences()).isTrue();
        assertThat(db1.queryString("SELECT COUNT(*) FROM app.t")).hasValue("6");
        // the rejoin is in the history, as a rejoin, and holds back no later failover
        var history = new FileStateStore(state(sandbox), Clock.systemUTC()).history("test", 5);
        assertThat(history.get(0).reportJson()).contains("\"mode\" : \"rejoin\"").contains("\"outcome\" : \"succeeded\"");
        assertThat(history.get(0).deadMaster()).isEqualTo("db1");
        // run again: it follows db2 already, and stays so
        RejoinRun.Result again = RejoinRun.run(config, state(sandbox), "db1");
        assertThat(again.outcome()).as(again.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
        assertThat(db1.replicaStatus("Master_Port")).hasValue(Integer.toString(db2.port()));
        return result;
    }

    /**
     * The replicas stop receiving, db1 commits two transactions only it has, dies, and db2 is promoted
     * without db1's binlog (no node agent); db2 then writes on, and db1 comes back.
     */
    private static ClusterConfig diverge(Sandbox sandbox) {
        ClusterConfig config = config(sandbox);
        ServerNode db1 = sandbox.node("db1");
        for (ServerNode r : sandbox.replicas()) {
            r.stopIoThread();
        }
        db1.execute("INSERT INTO app.t VALUES (100)", "INSERT INTO app.t VALUES (101)");
        db1.kill();
        // its host is away while the failover runs, so nobody saves its binlog: what only db1 had stays only there
        Path dir = db1.dataDir().getParent();
        Path away = dir.resolveSibling(dir.getFileName() + "-away");
        try {
            Files.move(dir, away);
            failover(sandbox, config);
            Files.move(away, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < 5; i++) {
            sandbox.node("db2").execute("INSERT INTO app.t VALUES (" + (200 + i) + ")");
        }
        db1.start();
        return config;
    }

    private static void failover(Sandbox sandbox, ClusterConfig config) {
        // by file and position the failover needs the node agent (relay-log diffs); by GTID it runs without
        NodeAgent agent = sandbox.mode() == ReplicationMode.GTID ? NodeAgent.NONE : new LocalNodeAgent(SandboxCredentials.ADMIN_USER,
                SandboxCredentials.ADMIN_PASSWORD, sandbox.directory().resolve("agent"), Duration.ofSeconds(120));
        FailoverRun.Result f = FailoverRun.run(config, state(sandbox), WriterIp.NONE, agent, "db1", "db2", false);
        assertThat(f.outcome()).as(f.report().text()).isIn(FailoverOutcome.SUCCEEDED, FailoverOutcome.POSSIBLE_LOSS);
        assertThat(f.state().newMaster()).isEqualTo("db2");
    }

    private static void refused(Sandbox sandbox, RejoinRun.Result result, Map<String, String> fingerprint, String... reasons) {
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("Rejoin refused in CheckRejoin: ").contains(reasons).contains("Nothing was changed.");
        assertThat(fingerprint(sandbox)).isEqualTo(fingerprint);
    }

    private static long sequence(ServerNode n) {
        String pos = n.queryString("SELECT @@gtid_binlog_pos").orElse("");
        return pos.isEmpty() ? 0 : Long.parseLong(pos.substring(pos.lastIndexOf('-') + 1));
    }

    private static void createTable(Sandbox sandbox) {
        sandbox.node("db1").execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        sandbox.sync(SYNC);
    }

    private static String masterStatus(ServerNode n) {
        try (var c = n.connect(); var s = c.createStatement(); var rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString("File") + ":" + rs.getString("Position");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a rejoin could change on any server. */
    private static Map<String, String> fingerprint(Sandbox sandbox) {
        Map<String, String> result = new TreeMap<>();
        for (ServerNode n : sandbox.nodes()) {
            if (n.state() != ServerNode.State.RUNNING) {
                result.put(n.name(), "down");
                continue;
            }
            result.put(n.name(), String.join("|",
                    n.queryString("SELECT CONCAT_WS(',', @@gtid_binlog_state, @@gtid_slave_pos, @@read_only)").orElse(""),
                    n.replicaStatus("Master_Port").orElse("-"), n.replicaStatus("Slave_IO_Running").orElse("-"),
                    n.replicaStatus("Slave_SQL_Running").orElse("-"), n.replicaStatus("Using_Gtid").orElse("-")));
        }
        return result;
    }

    private static ClusterConfig config(Sandbox sandbox) {
        String servers = sandbox.nodes().stream().map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port() + "}")
                .collect(Collectors.joining("\n"));
        return ConfigLoader.parseYaml("cluster: test\nuser: admin\npassword: admin\nreplicationUser: repl\nreplicationPassword: repl\n"
                + "connectTimeout: 1s\nservers:\n" + servers + "\n", "test.yaml");
    }

    private static Path state(Sandbox sandbox) {
        return sandbox.directory().resolve("state");
    }

    private static String label(ClusterConfig config, String name) {
        return config.requireServer(name).label();
    }
}
