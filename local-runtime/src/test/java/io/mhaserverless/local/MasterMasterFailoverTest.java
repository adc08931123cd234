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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, item 2; mirrors MHA's t_mm_subm_dead_noslave and t_mm_subm_dead: db1 and db2 replicate
 * from each other, db1 takes the writes. db2 dies, then db1 is made read-only: db2 is now the dead
 * master and db1 its surviving peer (with t_mm_subm_dead, db3 replicates from db1: multiTierSlave).
 * Every transaction db1 wrote came back to it through db2, which had them: they are the cluster's
 * history, not errant transactions, so db1 is promoted without force. Before, CheckConfiguration
 * took them for errant (db1 being the only live replica) and refused.
 */
class MasterMasterFailoverTest {

    @TempDir
    Path work;

    /** The pair, writes on db1 that went round through db2, then db2 dead and db1 read-only. */
    private static Set<Long> pairThenThePassiveSideDies(Sandbox sandbox) throws Exception {
        ServerNode db1 = sandbox.master();
        ServerNode db2 = sandbox.node("db2");
        db1.execute("CREATE DATABASE app", "CREATE TABLE app.t (id BIGINT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.replicate(db1, db2); // the other half of the pair; it sets read_only on db1
        db1.execute("SET GLOBAL read_only = OFF", "INSERT INTO app.t VALUES (2)", "INSERT INTO app.t VALUES (3)");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.sync(db2, List.of(db1), Duration.ofSeconds(30)); // db1's own writes came back through db2
        db2.kill();
        db1.execute("SET GLOBAL read_only = ON");
        return LocalCluster.ids(db1, "app.t");
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void theSurvivingPeerIsPromotedWithoutForce(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(1, mode))) {
            Set<Long> rows = pairThenThePassiveSideDies(sandbox);
            LocalCluster cluster = new LocalCluster(sandbox, work);

            FailoverRun.Result result = cluster.failover();

            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(result.state().deadMaster()).isEqualTo("db2");
            assertThat(result.state().newMaster()).isEqualTo("db1");
            assertThat(result.report().text()).doesNotContain("errant");
            cluster.assertRecovered(result, "app.t", rows);
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void theSurvivingPeerIsPromotedAndKeepsItsOwnReplica(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode))) {
            Set<Long> rows = pairThenThePassiveSideDies(sandbox); // db3 follows db1, the active side
            LocalCluster cluster = new LocalCluster(sandbox, work, List.of("multiTierSlave: true"), Map.of());

            FailoverRun.Result result = cluster.failover();

            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(result.state().deadMaster()).isEqualTo("db2");
            assertThat(result.state().newMaster()).isEqualTo("db1");
            assertThat(result.report().text()).doesNotContain("errant");
            cluster.assertRecovered(result, "app.t", rows);
        }
    }
}
