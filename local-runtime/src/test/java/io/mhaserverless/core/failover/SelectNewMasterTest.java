package io.mhaserverless.core.failover;

import io.mhaserverless.local.FailoverRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MHA's selection rules on real lag: replicas are made to differ by stopping their IO threads at
 * different points of a write stream, then the master is killed and the failover runs for real.
 */
class SelectNewMasterTest {

    /** db1 writes 3 batches; {@code stopAfter} maps a replica to the batch after which it stops receiving. */
    private static Map<String, String> diverge(Cluster cluster, Map<String, Integer> stopAfter) {
        ServerNode master = cluster.sandbox.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(200))");
        cluster.sandbox.sync(Duration.ofSeconds(30));
        for (int batch = 1; batch <= 3; batch++) {
            for (int i = 0; i < 20; i++) {
                int id = batch * 1000 + i;
                master.execute("INSERT INTO app.t VALUES (" + id + ", REPEAT('p', 200))");
            }
            cluster.sandbox.sync(master, cluster.sandbox.replicas().stream()
                    .filter(r -> r.replicaStatus("Slave_IO_Running").orElse("").equals("Yes")).toList(), Duration.ofSeconds(30));
            final int done = batch;
            stopAfter.forEach((name, b) -> {
                if (b == done) {
                    cluster.sandbox.node(name).stopIoThread();
                }
            });
        }
        master.kill();
        return FailoverAssertions.received(cluster, master);
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void latestCandidateMasterWins(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "candidateMaster: true", "db4", "candidateMaster: true"));
        Map<String, String> received = diverge(cluster, Map.of("db2", 1));

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.state().latest()).containsExactly("db3", "db4");
        assertThat(result.state().newMaster()).isEqualTo("db4");
        assertThat(result.state().selectionReason()).isEqualTo("a latest replica and a candidateMaster");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void laggingCandidateMasterIsCaughtUpFromTheLatestReplica(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "candidateMaster: true"));
        Map<String, String> received = diverge(cluster, Map.of("db2", 1, "db3", 2));

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.state().latest()).containsExactly("db4");
        assertThat(result.state().oldest()).containsExactly("db2");
        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(result.state().selectionReason()).startsWith("a candidateMaster (behind the latest replica");
        assertThat(sandbox.node("db2").queryString("SELECT COUNT(*) FROM app.t")).contains("60");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void noMasterOnTheMostAdvancedReplicaPromotesAnotherThatCatchesUpFromIt(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db4", "noMaster: true"));
        Map<String, String> received = diverge(cluster, Map.of("db2", 1, "db3", 2));

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.state().latest()).containsExactly("db4");
        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(result.state().selectionReason()).startsWith("the first replica that may become master");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
        assertThat(sandbox.node("db2").queryString("SELECT COUNT(*) FROM app.t")).contains("60");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void latestReplicaWinsWithoutCandidates(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> received = diverge(cluster, Map.of("db2", 2));

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.state().newMaster()).isEqualTo("db3");
        assertThat(result.state().selectionReason()).isEqualTo("a latest replica");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aLatestReplicaWhoseSqlThreadWasStoppedAppliesItsRelayLogBeforeItIsPromoted(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        ServerNode master = sandbox.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, pad VARCHAR(200))");
        sandbox.sync(Duration.ofSeconds(30));
        sandbox.node("db2").execute("STOP SLAVE SQL_THREAD"); // a backup tool paused it; it still receives
        for (int i = 1; i <= 50; i++) {
            master.execute("INSERT INTO app.t VALUES (" + i + ", 'x')");
        }
        sandbox.sync(master, java.util.List.of(sandbox.node("db3")), Duration.ofSeconds(30));
        master.kill();
        Map<String, String> received = FailoverAssertions.received(cluster, master);

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(sandbox.node("db2").queryString("SELECT COUNT(*) FROM app.t")).contains("50");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aDelayedReplicaIsNeitherPromotedNorRecoveredFromNorWaitedFor(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "candidateMaster: true"));
        ServerNode master = sandbox.master();
        ServerNode delayed = sandbox.node("db2");
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        sandbox.sync(Duration.ofSeconds(30));
        delayed.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 3600", "START SLAVE");
        master.execute("INSERT INTO app.t VALUES (1)", "INSERT INTO app.t VALUES (2)");
        sandbox.sync(master, java.util.List.of(sandbox.node("db3")), Duration.ofSeconds(30));
        master.kill();

        FailoverRun.Result result = cluster.failover(null, null, false);

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(result));
        assertThat(result.state().newMaster()).isEqualTo("db3");
        assertThat(result.state().recoverySource().name()).isEqualTo("db3");
        assertThat(result.report().text()).contains(delayed + ": OK: replicating from " + sandbox.node("db3")
                + " with MASTER_DELAY 3600 s: not waited for");
        assertThat(delayed.replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db3").port()));
        assertThat(delayed.replicaStatus("SQL_Delay")).as("its delay is kept").contains("3600");
        assertThat(sandbox.node("db3").queryString("SELECT COUNT(*) FROM app.t")).contains("2");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void explicitNewMasterThatIsNoMasterIsRefusedBeforeAnythingChanges(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "", Map.of("db2", "noMaster: true"));
        diverge(cluster, Map.of());
        Map<String, String> before = cluster.fingerprint();

        FailoverRun.Result result = cluster.failover(null, "db2", false);

        assertThat(result.outcome()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("Failover stopped in CheckConfiguration: newMaster db2 is configured noMaster")
                .contains("Phases that completed: none (nothing was changed)");
        assertThat(cluster.fingerprint()).isEqualTo(before);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void explicitNewMasterIsPromotedAndCaughtUp(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        Map<String, String> received = diverge(cluster, Map.of("db2", 1));

        FailoverRun.Result result = cluster.failover("db1", "db2", false);

        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(result.state().selectionReason()).isEqualTo("chosen by the operator (newMaster)");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void replicaBehindPastCheckReplDelayIsRefusedUnlessForced(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "checkReplDelayBytes: 2000\n", Map.of("db2", "candidateMaster: true"));
        Map<String, String> received = diverge(cluster, Map.of("db2", 1)); // db2 misses 2 batches of ~5 KB

        FailoverRun.Result refused = cluster.failover(null, "db2", false);
        assertThat(refused.outcome()).isEqualTo(FailoverOutcome.FAILED);
        assertThat(refused.report().text()).contains("Failover stopped in SelectNewMaster: newMaster db2 cannot be promoted: is ")
                .contains("bytes behind the latest replica db3 (checkReplDelayBytes 2000)")
                .contains("force=true").doesNotContain("--force");

        // The refused run stopped after fencing; a second run, left to choose, passes the delayed
        // candidate over for the latest replica.
        FailoverRun.Result automatic = cluster.failover(null, null, false);
        assertThat(automatic.report().text()).contains("was resumed at SelectNewMaster");
        assertThat(automatic.state().newMaster()).isEqualTo("db3");
        assertThat(automatic.state().selectionReason()).isEqualTo("a latest replica");
        FailoverAssertions.assertHealthyAfterFailover(cluster, automatic, received);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void forcedPromotionOfADelayedReplicaCatchesItUpAndSaysSo(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox, "checkReplDelayBytes: 2000\n", Map.of());
        Map<String, String> received = diverge(cluster, Map.of("db2", 1));

        FailoverRun.Result result = cluster.failover(null, "db2", true);

        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(result.report().text()).contains("Warning: db2 is ").contains("allowed as a new master because forced");
        FailoverAssertions.assertHealthyAfterFailover(cluster, result, received);
    }
}
