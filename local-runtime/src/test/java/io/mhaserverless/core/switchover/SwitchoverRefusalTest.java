package io.mhaserverless.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.SwitchoverRun.Request;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * MHA's online checks: each refuses the switchover, says why naming the server, and changes
 * nothing on any server (executed GTIDs, read_only, replication source and threads) nor the
 * writer endpoint.
 */
@MariaDbTopology(replicas = 2)
class SwitchoverRefusalTest {

    private static SwitchoverRun.Result refused(SwitchoverCluster cluster, Request request, String... reasons) {
        Map<String, String> before = cluster.fingerprint();
        SwitchoverRun.Result result = cluster.switchover(request);
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("Switchover refused in CheckSwitchover: ").contains(reasons)
                .contains("Nothing was changed.");
        assertThat(result.report().subject()).endsWith(" refused");
        assertThat(cluster.fingerprint()).isEqualTo(before);
        return result;
    }

    @Test
    void aReplicaLaggingMoreThanTheLimit(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode db3 = sandbox.node("db3");
            // a client's table lock holds db3's SQL thread back while the master writes on
            try (Connection hold = db3.connect(); Statement s = hold.createStatement()) {
                s.execute("LOCK TABLES app.t READ");
                sandbox.master().execute("INSERT INTO app.t VALUES (10)");
                SwitchoverUnderLoadTest.waitFor(() -> db3.replicaStatus("Seconds_Behind_Master").map(Long::parseLong).orElse(0L) > 2,
                        "db3 to lag");
                refused(cluster, Request.to("db2").withLimit(1), db3 + " is ", " s behind the master, more than runningUpdatesLimit=1 s");
                s.execute("UNLOCK TABLES");
            }
        }
    }

    @Test
    void aStatementRunningOnTheMasterLongerThanTheLimit(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode master = sandbox.master();
            CompletableFuture<Void> longRunning = CompletableFuture.runAsync(() -> master.execute("DO SLEEP(6)"));
            SwitchoverUnderLoadTest.waitFor(() -> master.queryString("SELECT MAX(TIME) FROM information_schema.PROCESSLIST"
                    + " WHERE INFO = 'DO SLEEP(6)'").map(Long::parseLong).orElse(0L) >= 2, "the statement to run 2 s");
            refused(cluster, Request.to("db2").withLimit(1), "the master " + master + " has run a statement for ",
                    ": DO SLEEP(6)), longer than runningUpdatesLimit=1 s");
            longRunning.join();
        }
    }

    @Test
    void aNewMasterThatCannotTakeTheWriterIp(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            var outside = new io.mhaserverless.core.failover.WriterIpSubnetTest.Subnets(java.util.Set.of("db2"));
            Map<String, String> before = cluster.fingerprint();
            SwitchoverRun.Result result = cluster.switchover(Request.to("db2"), outside);
            assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.REFUSED);
            assertThat(result.report().text()).contains("it cannot take the writer IP: its subnet does not contain 10.0.1.50");
            assertThat(outside.calls).isEmpty();
            assertThat(cluster.fingerprint()).isEqualTo(before);
        }
    }

    @Test
    void aDeadReplica(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            sandbox.node("db3").kill();
            refused(cluster, Request.to("db2"), sandbox.node("db3") + " is dead (", "a switchover needs every server alive");
        }
    }

    @Test
    void aReplicaWhoseSqlThreadIsStopped(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            sandbox.node("db3").execute("STOP SLAVE SQL_THREAD");
            refused(cluster, Request.to(null), sandbox.node("db3") + ": its SQL thread is not running");
        }
    }

    @Test
    void aNoMasterTarget(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox, Map.of("db2", "noMaster: true"))) {
            cluster.load();
            refused(cluster, Request.to("db2"), "newMaster " + sandbox.node("db2") + " is configured noMaster");
        }
    }

    @Test
    void errantTransactionsOnTheNewMasterUnlessForced(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode db2 = sandbox.node("db2");
            db2.execute("INSERT INTO app.t VALUES (99)"); // written on the replica itself: 0-2-1 the master never had
            refused(cluster, Request.to("db2"), "newMaster db2 cannot be promoted: has errant transactions (not from the master): 0-2-",
                    "switch anyway with force=true");

            SwitchoverRun.Result forced = cluster.switchover(Request.to("db2").withForce().oldMasterFollows());
            assertThat(forced.report().text()).contains("Warning: errant transactions on db2 were accepted (forced): 0-2-");
            assertThat(forced.outcome()).as(forced.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
            assertThat(cluster.writable()).containsExactly("db2");
        }
    }

    @Test
    void aNewMasterThatIsTheMasterAlready(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            refused(cluster, Request.to("db1"), "newMaster " + sandbox.master() + " is the master already: nothing to switch");
        }
    }
    @Test
    void aNewMasterWhoseReplicationFiltersDifferFromTheOtherReplicas(Sandbox sandbox) {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode db2 = sandbox.node("db2");
            db2.execute("STOP SLAVE", "SET GLOBAL replicate_ignore_db = 'scratch'", "START SLAVE");
            refused(cluster, Request.to("db2"), "replication filters differ: " + sandbox.node("db3") + " has no filters, the new master "
                    + db2 + " has Replicate_Ignore_DB=scratch");
        }
    }

    @Test
    void aNewMasterThatBinlogsOtherDatabasesThanTheMaster(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode db2 = sandbox.node("db2");
            // binlog_ignore_db is not dynamic: it is set as a DBA would, in my.cnf, and the server restarted
            java.nio.file.Path cnf = db2.dataDir().getParent().resolve("my.cnf");
            assertThat(cnf).exists();
            java.nio.file.Files.writeString(cnf, "binlog_ignore_db=scratch\n", java.nio.file.StandardOpenOption.APPEND);
            db2.restart();
            db2.execute("START SLAVE");
            SwitchoverUnderLoadTest.waitFor(() -> db2.replicaStatus("Slave_IO_Running").orElse("").equals("Yes")
                    && db2.replicaStatus("Seconds_Behind_Master").orElse("").equals("0"), "db2 to replicate");
            refused(cluster, Request.to("db2"), "binlog filters differ: the new master " + db2 + " has Binlog_Do_DB=, Binlog_Ignore_DB=scratch,"
                    + " the master " + sandbox.master() + " has Binlog_Do_DB=, Binlog_Ignore_DB=");
        }
    }
}
