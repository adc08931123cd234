package io.mhaserverless.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxTest {

    private static final Duration SYNC = Duration.ofSeconds(20);

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void gtidTopologyReplicatesAndChecksumsAgree(Sandbox topology) {
        ServerNode master = topology.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO app.t VALUES (1, 'a'), (2, 'b')");
        topology.sync(SYNC);

        Checksums sums = topology.checksums();
        assertThat(sums.byServer()).containsOnlyKeys("db1", "db2", "db3");
        assertThat(sums.consistent()).as(sums.differences()).isTrue();
        assertThat(topology.replicas()).allSatisfy(r -> {
            assertThat(r.queryString("SELECT @@read_only")).contains("1");
            assertThat(r.queryString("SELECT @@gtid_slave_pos")).contains(master.queryString("SELECT @@gtid_binlog_pos").orElseThrow());
        });
    }

    @Test
    @MariaDbTopology(replicas = 1, mode = ReplicationMode.FILE)
    void fileTopologyReplicatesAndDetectsDivergence(Sandbox topology) {
        topology.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        topology.sync(SYNC);
        assertThat(topology.checksums().consistent()).isTrue();
        assertThat(topology.replicas().get(0).replicaStatus("Using_Gtid"))
                .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("No"));

        topology.replicas().get(0).execute("SET SESSION sql_log_bin=0", "INSERT INTO app.t VALUES (2)");
        Checksums diverged = topology.checksums();
        assertThat(diverged.consistent()).isFalse();
        assertThat(diverged.differences()).contains("`app`.`t`");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void faultsAreReal(Sandbox topology) throws Exception {
        ServerNode master = topology.master();
        ServerNode replica = topology.replicas().get(0);
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        topology.sync(SYNC);

        replica.stopIoThread();
        master.execute("INSERT INTO app.t VALUES (1)");
        assertThat(replica.queryString("SELECT COUNT(*) FROM app.t")).contains("0");
        replica.startIoThread();
        topology.sync(SYNC);
        assertThat(replica.queryString("SELECT COUNT(*) FROM app.t")).contains("1");

        String relayBefore = replica.replicaStatus("Relay_Log_File").orElseThrow();
        replica.flushRelayLogs();
        master.execute("INSERT INTO app.t VALUES (2)");
        topology.sync(SYNC);
        assertThat(replica.replicaStatus("Relay_Log_File")).isNotEqualTo(relayBefore);

        master.pause();
        assertThatThrownBy(() -> quickConnect(master)).isInstanceOf(SQLException.class);
        master.resume();
        assertThat(master.queryString("SELECT 1")).contains("1");

        long pid = master.pid();
        master.kill();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThatThrownBy(() -> quickConnect(master)).isInstanceOf(SQLException.class);
        master.start();
        assertThat(master.queryString("SELECT COUNT(*) FROM app.t")).contains("2");

        master.stop();
        assertThat(master.state()).isEqualTo(ServerNode.State.STOPPED);
        master.start();
        assertThat(master.queryString("SELECT 1")).contains("1");
    }

    @Test
    void closeLeavesNoProcessAndNoFiles() {
        Sandbox topology = Sandbox.start(SandboxSpec.of(1, ReplicationMode.GTID));
        long masterPid = topology.master().pid();
        long replicaPid = topology.replicas().get(0).pid();
        topology.replicas().get(0).pause();
        topology.close();
        assertThat(ProcessHandle.of(masterPid)).isEmpty();
        assertThat(ProcessHandle.of(replicaPid)).isEmpty();
        assertThat(topology.directory()).doesNotExist();
    }

    private static Connection quickConnect(ServerNode node) throws SQLException {
        return SandboxConnections.open(node.host(), node.port(), Duration.ofMillis(500), Duration.ofMillis(500));
    }
}
