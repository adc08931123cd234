package io.mhaserverless.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.SwitchoverRun.Request;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.sql.Connection;
import io.mhaserverless.testbed.SandboxConnections;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure at each step of the write block before the new master takes writes: everything is put
 * back — the old master writable with the writer endpoint, the new master replicating, no replica
 * repointed — the report says so, and the application writes through the endpoint again.
 */
@MariaDbTopology(replicas = 2)
class SwitchoverRollbackTest {

    /** The writer endpoint, failing the first time it is asked to do {@code what} to {@code server}. */
    private static WriterIp failingOnce(WriterIp real, String what, String server) {
        return new WriterIp() {
            private boolean failed;

            @Override
            public void release(ServerConfig oldMaster) {
                fail("release", oldMaster);
                real.release(oldMaster);
            }

            @Override
            public void assign(ServerConfig newMaster) {
                fail("assign", newMaster);
                real.assign(newMaster);
            }

            private void fail(String call, ServerConfig s) {
                if (!failed && call.equals(what) && s.name().equals(server)) {
                    failed = true;
                    throw new IllegalStateException("injected: " + call + " of the writer address on " + s.name() + " failed");
                }
            }

            @Override
            public String describe() {
                return real.describe();
            }
        };
    }

    private static void assertRolledBack(SwitchoverCluster cluster, SwitchoverRun.Result result, Map<String, String> before,
                                         String cause) throws Exception {
        assertRolledBack(cluster, result, before, cause, () -> { });
    }

    /** @param unblock lets the servers move again once their state was compared with what it was before */
    private static void assertRolledBack(SwitchoverCluster cluster, SwitchoverRun.Result result, Map<String, String> before,
                                         String cause, Unblock unblock) throws Exception {
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.FAILED);
        assertThat(result.report().subject()).isEqualTo("test: MySQL master switchover db1 to db2 rolled back");
        assertThat(result.report().text()).contains("Switchover stopped in SwitchMaster: ").contains(cause)
                .contains("rolled back, db1 serves as before")
                .contains("Nothing was changed: everything the switch did was undone, and " + cluster.sandbox.master()
                        + " takes writes as before.");
        assertThat(result.report().json()).contains("\"rolledBack\" : true");
        assertThat(cluster.fingerprint()).isEqualTo(before);
        unblock.run();
        assertThat(cluster.writable()).containsExactly("db1");
        assertThat(cluster.behindEndpoint()).isEqualTo("db1");
        try (Connection c = SandboxConnections.open("127.0.0.1", cluster.endpoint.port(), Duration.ofSeconds(2), Duration.ofSeconds(10));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO app.t VALUES (1000)");
        }
        cluster.sandbox.sync(Duration.ofSeconds(30));
    }

    private interface Unblock {
        void run() throws Exception;
    }

    @Test
    void releasingTheWriterAddressFails(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            Map<String, String> before = cluster.fingerprint();
            SwitchoverRun.Result result = cluster.switchover(Request.to("db2"), failingOnce(cluster.endpoint, "release", "db1"));
            assertRolledBack(cluster, result, before, "injected: release of the writer address on db1 failed");
        }
    }

    @Test
    void theNewMasterDoesNotCatchUpInTime(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            ServerNode db2 = sandbox.node("db2");
            try (Connection hold = db2.connect(); Statement s = hold.createStatement()) {
                s.execute("LOCK TABLES app.t READ"); // db2's SQL thread cannot apply the next insert
                sandbox.master().execute("INSERT INTO app.t VALUES (20)");
                Map<String, String> before = cluster.fingerprint();
                SwitchoverRun.Result result = SwitchoverRun.run(cluster.config, sandbox.directory().resolve("state"), cluster.endpoint,
                        Request.to("db2").withLimit(10), Duration.ofSeconds(2));
                assertThat(result.report().text()).contains(sandbox.node("db2") + " did not apply the old master's last transactions");
                assertRolledBack(cluster, result, before, "within 2000 ms", () -> s.execute("UNLOCK TABLES"));
            }
        }
    }

    @Test
    void takingTheWriterAddressFails(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            Map<String, String> before = cluster.fingerprint();
            SwitchoverRun.Result result = cluster.switchover(Request.to("db2"), failingOnce(cluster.endpoint, "assign", "db2"));
            assertRolledBack(cluster, result, before, "injected: assign of the writer address on db2 failed");
            assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).as("db2 replicates again").contains("Yes");

            // nothing is left behind that would stop the next try
            SwitchoverRun.Result again = cluster.switchover(Request.to("db2").oldMasterFollows());
            cluster.assertSwitched(again, "db2", true);
        }
    }
    /**
     * A failure at every moment of the write block before the new master takes writes (the fault
     * hook): each is rolled back to exactly the topology before — db1 writable behind the writer
     * endpoint, no replica repointed, the same GTIDs, sources and threads — and writes go on.
     */
    @ParameterizedTest
    @EnumSource(SwitchPoint.class)
    void aFailureAtEachStepBeforeThePointOfNoReturnIsRolledBack(SwitchPoint point, Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            Map<String, String> before = cluster.fingerprint();
            SwitchoverRun.Result result = SwitchoverRun.run(cluster.config, sandbox.directory().resolve("state"), cluster.endpoint,
                    Request.to("db2"), Duration.ofSeconds(30), p -> {
                        if (p == point) {
                            throw new IllegalStateException("injected at " + p);
                        }
                    });
            assertRolledBack(cluster, result, before, "injected at " + point);
            assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(sandbox.master().port()));
        }
    }
}
