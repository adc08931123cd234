package io.mhaserverless.core.failover;

import io.mhaserverless.local.FailoverRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Duration;
import java.util.Map;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.SandboxSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A failover that must not happen stops in CheckConfiguration, says why, and changes nothing. */
class FailoverBadInputTest {

    private static void load(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(Duration.ofSeconds(30));
    }

    private static void assertRefused(Cluster cluster, FailoverRun.Result result, Map<String, String> before, String why) {
        assertThat(result.outcome()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("Failover stopped in CheckConfiguration: " + why)
                .contains("Phases that completed: none (nothing was changed)");
        assertThat(cluster.fingerprint()).isEqualTo(before);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aliveMasterIsNeverFailedOver(Sandbox sandbox) {
        load(sandbox);
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover("db1", null, false), before,
                "the master " + sandbox.master() + " is alive: refusing to fail over a healthy master");
        assertRefused(cluster, cluster.failover(null, null, true), before, "the master " + sandbox.master() + " is alive");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void unknownServerIsNamed(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover("db9", null, false), before,
                "deadMaster db9: no such server (servers: db1, db2, db3)");
        assertRefused(cluster, cluster.failover(null, "dbX", false), before, "newMaster dbX: no such server");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void deadMasterThatIsNotTheMasterIsRefused(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover("db2", null, false), before,
                "deadMaster db2 is not the master: the replicas follow " + sandbox.master());
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void replicaOfAnotherServerMakesTheTopologyAmbiguous(Sandbox sandbox) {
        load(sandbox);
        sandbox.node("db3").execute("STOP SLAVE");
        sandbox.replicate(sandbox.node("db3"), sandbox.node("db2"));
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover(null, null, false), before,
                sandbox.node("db3") + " replicates from " + sandbox.node("db2") + ", not from the dead master " + sandbox.master());
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aDeadNewMasterIsRefusedBeforeAnythingChanges(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        sandbox.node("db2").kill();
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "ignoreFail: true"));
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover(null, "db2", false), before,
                "newMaster db2 is not a live replica of " + sandbox.master());
    }

    /**
     * Issue 17, item 4; mirrors MHA's t_manual: with the master dead and a replica (db2) down too, the
     * failover is refused — db2 would miss it and come back diverged — until db2 is back; ignoreFail on
     * it lets the failover go on without it. Before, a dead replica was silently left out.
     */
    @Test
    @MariaDbTopology(replicas = 2)
    void aDeadReplicaRefusesTheFailoverUnlessIgnoreFailAndTheFailoverGoesOnOnceItIsBack(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        sandbox.node("db2").stop();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover(null, null, false), before, sandbox.node("db2") + " is dead and not ignoreFail");
        assertRefused(cluster, cluster.failover(null, null, true), before, sandbox.node("db2") + " is dead and not ignoreFail");

        sandbox.node("db2").start();
        sandbox.node("db2").execute("START SLAVE"); // skip_slave_start: as a DBA would after a restart
        FailoverRun.Result result = cluster.failover(null, null, false);
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, Map.of());
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aDeadIgnoreFailReplicaIsLeftOutAndTheFailoverGoesOn(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        sandbox.node("db2").stop();
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "ignoreFail: true"));

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(result));
        assertThat(result.state().newMaster()).isEqualTo("db3");
        assertThat(result.report().text()).contains("Warning: " + sandbox.node("db2") + " is dead (ignoreFail): it is left out");
    }

    /**
     * Issue 17, item 6; mirrors MHA's t_slave_incorrect: db3's replication was reset (RESET SLAVE,
     * CHANGE MASTER TO MASTER_LOG_FILE='') — it still names db1 but has no position in its binlog.
     * It is not db1's replica: the failover is refused naming it, changing nothing. Before, file mode
     * took it for a replica that had received nothing (and would have replayed the whole binlog into
     * it), GTID mode refused it as a mixed topology.
     */
    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aReplicaWhoseReplicationWasResetIsRefusedByName(ReplicationMode mode) {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, mode))) {
            load(sandbox);
            sandbox.node("db4").execute("STOP SLAVE", "RESET SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE=''");
            sandbox.master().kill();
            Cluster cluster = new Cluster(sandbox);
            Map<String, String> before = cluster.fingerprint();

            // the node agent a file/position failover needs, so that only db4 can stop it
            var agent = new io.mhaserverless.local.adapter.LocalNodeAgent(io.mhaserverless.testbed.SandboxCredentials.ADMIN_USER,
                    io.mhaserverless.testbed.SandboxCredentials.ADMIN_PASSWORD, sandbox.directory(), Duration.ofSeconds(60));
            assertRefused(cluster, cluster.failover(null, null, false, io.mhaserverless.core.port.WriterIp.NONE, agent), before,
                    sandbox.node("db4") + " names " + sandbox.master()
                    + " as its source but has no position in its binlog (its replication was reset: Master_Log_File is empty)");
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aMasterThatComesBackBeforeTheFenceIsNotFailedOver(Sandbox sandbox) {
        load(sandbox);
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        java.util.List<String> released = new java.util.ArrayList<>();
        FailoverContext context = FailoverContext.builder(() -> cluster.config)
                .writerIp(new io.mhaserverless.core.port.WriterIp() {
                    @Override
                    public void release(io.mhaserverless.core.config.ServerConfig oldMaster) {
                        released.add(oldMaster.name());
                    }

                    @Override
                    public void assign(io.mhaserverless.core.config.ServerConfig newMaster) {
                    }

                    @Override
                    public String describe() {
                        return "recording";
                    }
                })
                .build();
        FailoverState checked = new CheckConfiguration().apply(FailoverState.start("test", null, null, false, 0), context);
        sandbox.master().start(); // mysqld_safe brings it back

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FenceDeadMaster().apply(checked, context))
                .isInstanceOf(FailoverException.class)
                .hasMessageContaining("answers again: refusing to fail over a master that is alive");
        assertThat(released).as("the writer address stays where it was").isEmpty();
    }

    /**
     * Issue 17, item 3: errant transactions exclude the replica that has them, and refuse the failover
     * only when no safe new master remains — here db2 is noMaster, so only the errant db3 could be
     * promoted, which force allows.
     */
    @Test
    @MariaDbTopology(replicas = 2)
    void errantTransactionsOnTheOnlyPossibleNewMasterAreRefusedUnlessForced(Sandbox sandbox) {
        load(sandbox);
        sandbox.node("db3").execute("INSERT INTO app.t VALUES (99)"); // written on the replica itself: 0-3-N
        String errant = sandbox.node("db3").queryString("SELECT @@gtid_binlog_pos").orElseThrow();
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "noMaster: true"));
        Map<String, String> before = cluster.fingerprint();

        assertRefused(cluster, cluster.failover(null, null, false), before,
                "errant transactions (on a replica only, not from the master): " + sandbox.node("db3") + " " + errant
                        + "; no replica without them can become the master: promote anyway with force=true");

        FailoverRun.Result forced = cluster.failover(null, null, true);
        assertThat(forced.outcome()).as(forced.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(forced));
        assertThat(forced.state().newMaster()).isEqualTo("db3");
        assertThat(forced.report().text()).contains("Warning: errant transactions were ignored (forced)");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void anErrantReplicaNamedAsTheNewMasterIsRefusedUnlessForced(Sandbox sandbox) {
        load(sandbox);
        sandbox.node("db3").execute("INSERT INTO app.t VALUES (99)");
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        FailoverRun.Result refused = cluster.failover(null, "db3", false);
        assertRefused(cluster, refused, before, "errant transactions (on a replica only, not from the master): " + sandbox.node("db3"));
        assertThat(refused.report().text()).contains("newMaster db3 has some: promote it anyway with force=true");
    }

    /**
     * Leaving an errant replica out must not lose what only it received: db3 received the master's
     * last row, db2 did not, and the dead master's host does not answer (no node agent).
     */
    @Test
    @MariaDbTopology(replicas = 2)
    void anErrantReplicaThatAloneReceivedTheLastTransactionsIsNotLeftOut(Sandbox sandbox) {
        load(sandbox);
        // in a domain of its own: gtid_strict_mode would stop db3 at the master's next transaction otherwise
        sandbox.node("db3").execute("SET SESSION gtid_domain_id = 1", "INSERT INTO app.t VALUES (99)");
        sandbox.node("db2").stopIoThread();
        sandbox.master().execute("INSERT INTO app.t VALUES (2)");
        sandbox.sync(sandbox.master(), java.util.List.of(sandbox.node("db3")), Duration.ofSeconds(30));
        sandbox.master().kill();
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> before = cluster.fingerprint();

        FailoverRun.Result refused = cluster.failover(null, null, false);
        assertRefused(cluster, refused, before, "errant transactions (on a replica only, not from the master): " + sandbox.node("db3"));
        assertThat(refused.report().text()).contains(sandbox.node("db3")
                + " received more of the dead master's binlog").contains("leaving it out would lose what only it received");
    }
}
