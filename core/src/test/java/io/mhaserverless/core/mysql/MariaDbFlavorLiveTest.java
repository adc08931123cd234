package io.mhaserverless.core.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.TlsConfig;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every statement the MariaDB flavor owns, run against real mariadbd servers. */
class MariaDbFlavorLiveTest {

    private static final Connector CONNECTOR = new Connector(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
            Duration.ofSeconds(2), Duration.ofSeconds(30), TlsConfig.preferred());

    static ServerConfig config(ServerNode n) {
        return new ServerConfig(n.name(), n.host(), n.port(), false, false, false, Optional.empty(), Optional.empty());
    }

    static ServerSession open(ServerNode n) throws Exception {
        return CONNECTOR.open(config(n));
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void readsFactsStatusAndBinlogOfARealGtidTopology(Sandbox sandbox) throws Exception {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        ServerNode master = sandbox.master();
        ServerNode replica = sandbox.node("db2");

        try (ServerSession m = open(master); ServerSession r = open(replica)) {
            assertThat(m.flavor()).isInstanceOf(MariaDbFlavor.class);
            assertThat(m.flavor().family()).matches("MariaDB \\d+\\.\\d+");
            ServerFacts mf = m.facts();
            assertThat(mf.serverId()).isEqualTo(1);
            assertThat(mf.logBin()).isTrue();
            assertThat(mf.logBinBasename()).contains(master.dataDir().resolve("mysql-bin").toString());
            assertThat(mf.readOnly()).isFalse();
            assertThat(mf.writable()).isTrue();
            assertThat(mf.superReadOnly()).isEmpty();
            assertThat(mf.executedGtids().toString()).isEqualTo(master.queryString("SELECT @@gtid_binlog_state").orElseThrow());
            assertThat(m.replicaStatus()).isEmpty();
            BinlogStatus binlog = m.binlogStatus().orElseThrow();
            assertThat(binlog.current().file()).isEqualTo("mysql-bin.000001");
            assertThat(binlog.current().position()).isPositive();

            ReplicaStatus rs = r.replicaStatus().orElseThrow();
            assertThat(rs.sourceHost()).isEqualTo(master.host());
            assertThat(rs.sourcePort()).isEqualTo(master.port());
            assertThat(rs.sourceUser()).isEqualTo(SandboxCredentials.REPL_USER);
            assertThat(rs.sourceServerId()).isEqualTo(1);
            assertThat(rs.ioThreadRunning()).isTrue();
            assertThat(rs.sqlThreadRunning()).isTrue();
            assertThat(rs.gtidPositioning()).isTrue();
            assertThat(rs.received()).isEqualTo(binlog.current());
            assertThat(rs.executed()).isEqualTo(binlog.current());
            assertThat(rs.relay().file()).startsWith("relay-bin.");
            assertThat(rs.secondsBehindSource()).hasValue(0);
            assertThat(rs.receivedGtids()).hasValueSatisfying(g -> assertThat(g.toString()).isEqualTo(
                    master.queryString("SELECT @@gtid_binlog_pos").orElseThrow()));
            assertThat(rs.filters()).isEqualTo(ReplicationFilters.NONE);
            ServerFacts rf = r.facts();
            assertThat(rf.readOnly()).isTrue();
            assertThat(rf.replicaGtidPosition()).hasValueSatisfying(p -> assertThat(mf.executedGtids().contains(p)).isTrue());
            assertThat(rf.relayLogIndex()).hasValueSatisfying(index -> assertThat(java.nio.file.Path.of(index)).exists()
                    .hasFileName("relay-bin.index"));
        }
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
    void filePositionReplicaReportsNoGtidPositioning(Sandbox sandbox) throws Exception {
        try (ServerSession r = open(sandbox.node("db2"))) {
            assertThat(r.replicaStatus().orElseThrow().gtidPositioning()).isFalse();
        }
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void threadControlChangeSourceReadOnlyAndResetWork(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        ServerNode db2 = sandbox.node("db2");
        ServerNode db3 = sandbox.node("db3");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        sandbox.sync(Duration.ofSeconds(30));

        try (ServerSession s2 = open(db2); ServerSession s3 = open(db3)) {
            Flavor f = s3.flavor();
            s3.execute(f.stopIoThread());
            assertThat(s3.replicaStatus().orElseThrow().ioThread()).isEqualTo(ReplicaStatus.IoThreadState.STOPPED);
            assertThat(s3.replicaStatus().orElseThrow().sqlThreadRunning()).isTrue();
            s3.execute(f.stopSqlThread());
            assertThat(s3.replicaStatus().orElseThrow().sqlThreadRunning()).isFalse();
            s3.execute(f.startSqlThread());
            s3.execute(f.startIoThread());
            assertThat(s3.replicaStatus().orElseThrow().ioThread()).isNotEqualTo(ReplicaStatus.IoThreadState.STOPPED);

            // repoint db3 at db2 with GTID auto-positioning, then by file and position
            s3.execute(f.stopReplica());
            Sql change = f.changeSource(new SourceChange(db2.host(), db2.port(), SandboxCredentials.REPL_USER,
                    SandboxCredentials.REPL_PASSWORD, new SourceChange.GtidAutoPosition()));
            assertThat(change.loggable()).contains("MASTER_PASSWORD='***'");
            s3.execute(change);
            s3.execute(f.startReplica());
            master.execute("INSERT INTO app.t VALUES (1)");
            sandbox.sync(Duration.ofSeconds(30));
            assertThat(s3.replicaStatus().orElseThrow().sourcePort()).isEqualTo(db2.port());
            assertThat(db3.queryString("SELECT COUNT(*) FROM app.t")).contains("1");

            BinlogCoordinates at = s2.binlogStatus().orElseThrow().current();
            s3.execute(f.stopReplica());
            s3.execute(f.changeSource(new SourceChange(db2.host(), db2.port(), SandboxCredentials.REPL_USER,
                    SandboxCredentials.REPL_PASSWORD, new SourceChange.FilePosition(at))));
            s3.execute(f.startReplica());
            ReplicaStatus byFile = s3.replicaStatus().orElseThrow();
            assertThat(byFile.gtidPositioning()).isFalse();
            assertThat(byFile.received().file()).isEqualTo(at.file());

            s3.execute(f.stopReplica());
            s3.execute(f.resetReplicaAll());
            assertThat(s3.replicaStatus()).isEmpty();

            for (String sql : f.setReadOnly(false)) {
                s3.execute(sql);
            }
            assertThat(s3.facts().readOnly()).isFalse();
            for (String sql : f.setReadOnly(true)) {
                s3.execute(sql);
            }
            assertThat(s3.facts().readOnly()).isTrue();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void gtidWaitSucceedsWhenAppliedAndTimesOutWhenNot(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        ServerNode replica = sandbox.node("db2");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        try (ServerSession m = open(master); ServerSession r = open(replica)) {
            GtidSet now = m.facts().executedGtids();
            assertThat(r.waitForGtids(now, Duration.ofSeconds(30))).isTrue();

            r.execute(r.flavor().stopIoThread());
            master.execute("INSERT INTO app.t VALUES (1)");
            GtidSet ahead = m.facts().executedGtids();
            long t0 = System.nanoTime();
            assertThat(r.waitForGtids(ahead, Duration.ofSeconds(1))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            r.execute(r.flavor().startIoThread());
            assertThat(r.waitForGtids(ahead, Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.GTID)
    void aWaitLongerThanTheSocketTimeoutEndsInItsOwnTimeoutNotALostConnection(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        ServerNode replica = sandbox.node("db2");
        Connector impatient = new Connector(SandboxCredentials.ADMIN_USER, SandboxCredentials.ADMIN_PASSWORD,
                Duration.ofSeconds(1), Duration.ofSeconds(1), TlsConfig.preferred());
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        try (ServerSession m = open(master); ServerSession r = impatient.open(config(replica))) {
            r.execute(r.flavor().stopIoThread());
            master.execute("INSERT INTO app.t VALUES (1)");
            GtidSet ahead = m.facts().executedGtids();

            assertThat(r.waitForGtids(ahead, Duration.ofSeconds(3))).isFalse();
            assertThat(r.queryRow("SELECT 1")).as("the session is still usable, with its short timeout back").isPresent();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void failedStatementNeverCarriesThePassword(Sandbox sandbox) throws Exception {
        try (ServerSession r = open(sandbox.node("db2"))) {
            Flavor f = r.flavor();
            // CHANGE MASTER while the replica runs is refused by the server: the error must not quote the secret
            Sql change = f.changeSource(new SourceChange("127.0.0.1", 1, "repl", "s3cret-Pa55", new SourceChange.GtidAutoPosition()));
            assertThatThrownBy(() -> r.execute(change)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-Pa55").contains("'***'"));
        }
    }
}
