package io.mhaserverless.core.switchover;

import static io.mhaserverless.core.switchover.SwitchoverCluster.APP_PASSWORD;
import static io.mhaserverless.core.switchover.SwitchoverCluster.APP_USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A planned switchover while an application writes through the writer endpoint, in autocommit and
 * in five-row transactions, as an account read_only holds back: nothing it was told is committed
 * goes missing, exactly one server takes writes afterwards, and the writes go on on the new master.
 */
class SwitchoverUnderLoadTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void gtidSwitchoverUnderWritesLosesNothingAndLeavesOneWritableServer(Sandbox sandbox) throws Exception {
        switchUnderLoad(sandbox);
    }

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.FILE)
    void filePositionSwitchoverUnderWritesLosesNothingAndLeavesOneWritableServer(Sandbox sandbox) throws Exception {
        switchUnderLoad(sandbox);
    }

    private static void switchUnderLoad(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox, Map.of("db3", "candidateMaster: true"))) {
            ServerNode master = sandbox.master();
            WriteLoad.createTable(master.host(), master.port());
            WriteLoad.createAppUser(master.host(), master.port(), APP_USER, APP_PASSWORD);
            sandbox.sync(Duration.ofSeconds(30));
            SwitchoverRun.Result result;
            try (WriteLoad single = new WriteLoad("127.0.0.1", cluster.endpoint.port(), true, APP_USER, APP_PASSWORD, 1, 1);
                 WriteLoad batches = new WriteLoad("127.0.0.1", cluster.endpoint.port(), true, APP_USER, APP_PASSWORD, 5, 1_000_000_000L)) {
                LongSupplier acked = () -> single.acknowledged().size() + batches.acknowledged().size();
                waitFor(() -> single.acknowledged().size() > 100 && batches.acknowledged().size() > 100, "the load to run");

                // what is checked is that nothing is lost, not the 1 s lag limit: a loaded machine may lag a replica 2 s
                result = cluster.switchover(SwitchoverRun.Request.to(null).oldMasterFollows().withLimit(10));

                long atSwitch = acked.getAsLong();
                waitFor(() -> acked.getAsLong() > atSwitch + 100, "writes to go on through the endpoint after the switch");
                single.close();
                batches.close();
                ServerNode db3 = sandbox.node("db3");
                assertThat(single.missingOn(db3.host(), db3.port())).as("acknowledged autocommit rows missing on the new master")
                        .isZero();
                assertThat(batches.missingOn(db3.host(), db3.port())).as("acknowledged transaction rows missing on the new master")
                        .isZero();
                assertThat(db3.queryString("SELECT COUNT(*) FROM " + WriteLoad.TABLE + " WHERE item = 'order@" + db3.serverId() + "'")
                        .map(Long::parseLong).orElse(0L)).as("rows the new master took").isPositive();
            }
            assertThat(result.state().selectionReason()).isEqualTo("a candidateMaster");
            cluster.assertSwitched(result, "db3", true);
            assertThat(result.output().path("writeBlockMillis").isNumber()).as(result.output().toString()).isTrue();
            assertThat(result.report().text()).contains("Writes were blocked for ").contains("db1(127.0.0.1:" + master.port()
                    + ") (the old master): OK: replicating from db3");
            FileStateStore store = new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC());
            assertThat(store.history("test", 10)).singleElement().satisfies(h -> assertThat(h.outcome()).isEqualTo("succeeded"));
            assertThat(store.lastFailover("test")).as("a switchover is not a failover for the guard").isEmpty();
            assertThat(store.progress("test")).isEmpty();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
