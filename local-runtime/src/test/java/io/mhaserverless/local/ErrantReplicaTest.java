package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, item 3; mirrors MHA's t_slave_sql_start3: db3's SQL thread is stopped, a local write
 * lands on it, the master writes the same row and dies. db3's errant transaction must not leave the
 * cluster without a master: db3 is left out (not promoted, not recovered from, not touched, named
 * in the report for repair) and the others fail over; the outcome is partial (exit 10), since db3
 * does not follow the new master. Before, CheckConfiguration refused the whole failover.
 */
class ErrantReplicaTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aReplicaWithALocalWriteIsLeftOutAndTheOthersFailOver(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, mode))) {
            ServerNode master = sandbox.master();
            ServerNode db3 = sandbox.node("db3");
            master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id BIGINT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2)");
            sandbox.sync(Duration.ofSeconds(30));
            db3.execute("STOP SLAVE SQL_THREAD", "INSERT INTO app.t VALUES (100)"); // admin bypasses read_only
            String errant = db3.queryString("SELECT @@gtid_binlog_pos").orElseThrow();
            master.execute("INSERT INTO app.t VALUES (100)");
            List<ServerNode> others = List.of(sandbox.node("db2"), sandbox.node("db4"));
            sandbox.sync(master, others, Duration.ofSeconds(30));
            master.kill();
            LocalCluster cluster = new LocalCluster(sandbox, work);

            FailoverRun.Result result = cluster.failover();

            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.PARTIAL);
            assertThat(result.state().newMaster()).isIn("db2", "db4");
            assertThat(result.report().text()).contains(db3 + ": ERROR: left out of the failover: it has errant transactions "
                    + errant + " (written on it, on no other replica); not promoted, not repointed: repair it");
            assertThat(db3.replicaStatus("Master_Port")).as("db3 is not touched").contains(Integer.toString(master.port()));
            assertThat(db3.replicaStatus("Slave_SQL_Running")).as("db3's SQL thread stays as it was").contains("No");

            ServerNode newMaster = sandbox.node(result.state().newMaster());
            ServerNode follower = others.stream().filter(n -> n != newMaster).findFirst().orElseThrow();
            assertThat(follower.replicaStatus("Master_Port")).contains(Integer.toString(newMaster.port()));
            newMaster.execute("INSERT INTO app.t VALUES (1000)");
            sandbox.sync(newMaster, List.of(follower), Duration.ofSeconds(30));
            assertThat(LocalCluster.ids(follower, "app.t")).isEqualTo(LocalCluster.ids(newMaster, "app.t"))
                    .isEqualTo(Set.of(1L, 2L, 100L, 1000L));
        }
    }
}
