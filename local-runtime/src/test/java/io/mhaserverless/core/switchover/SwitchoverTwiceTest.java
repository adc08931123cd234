package io.mhaserverless.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.SwitchoverRun.Request;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** origMasterIsNewSlave, switching back and forth, and every step run twice. */
@MariaDbTopology(replicas = 2)
class SwitchoverTwiceTest {

    @Test
    void theOldMasterFollowsTheNewOneAndTheSwitchGoesBack(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            SwitchoverRun.Result there = cluster.switchover(Request.to("db2").oldMasterFollows());
            cluster.assertSwitched(there, "db2", true);
            assertThat(sandbox.master().queryString("SELECT @@read_only")).contains("1");

            Map<String, String> before = cluster.fingerprint();
            SwitchoverRun.Result again = cluster.switchover(Request.to("db2").oldMasterFollows());
            assertThat(again.outcome()).isEqualTo(FailoverOutcome.REFUSED);
            assertThat(again.report().text()).contains("newMaster db2(").contains(" is the master already: nothing to switch");
            assertThat(cluster.fingerprint()).isEqualTo(before);

            SwitchoverRun.Result back = cluster.switchover(Request.to("db1").oldMasterFollows());
            cluster.assertSwitched(back, "db1", true);

            FileStateStore store = new FileStateStore(sandbox.directory().resolve("state"), Clock.systemUTC());
            assertThat(store.history("test", 10)).extracting(h -> h.outcome() + " " + h.deadMaster() + "->" + h.newMaster())
                    .containsExactly("succeeded db2->db1", "succeeded db1->db2");
            assertThat(store.lastFailover("test")).isEmpty();
        }
    }

    @Test
    void withoutOrigMasterIsNewSlaveTheOldMasterStaysReadOnlyOnItsOwn(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            SwitchoverRun.Result result = cluster.switchover(Request.to(null));
            cluster.assertSwitched(result, "db2", false);
            assertThat(result.report().text()).contains(sandbox.master() + " (the old master) is read-only and replicates from nobody");
        }
    }

    @Test
    void everyStepRunTwiceChangesNothingMore(Sandbox sandbox) throws Exception {
        try (SwitchoverCluster cluster = new SwitchoverCluster(sandbox)) {
            cluster.load();
            FailoverContext context = cluster.context(cluster.endpoint, Duration.ofSeconds(30));
            SwitchoverState state = SwitchoverState.start("test", "db2", true, 1, false, 0);
            state = twice(new CheckSwitchover(), state, context);
            state = twice(new SwitchMaster(), state, context);
            assertThat(state.warnings()).anyMatch(w -> w.startsWith("SwitchMaster ran again after an earlier run had switched"));
            assertThat(cluster.writable()).containsExactly("db2");
            for (String replica : state.otherReplicas()) {
                assertThat(new RepointReplicas().repoint(state, context, replica).ok()).isTrue();
                assertThat(new RepointReplicas().repoint(state, context, replica).ok()).isTrue();
            }
            state = twice(new SwitchoverCleanup(), state, context);
            state = twice(new OrigMasterAsReplica(), state, context);
            assertThat(state.origMasterOutcome().ok()).as(state.origMasterOutcome().message()).isTrue();
            SwitchoverRun.Result refused = cluster.switchover(Request.to("db2"));
            assertThat(refused.report().text()).contains("is the master already");
            assertThat(cluster.behindEndpoint()).isEqualTo("db2");
            sandbox.node("db2").execute("INSERT INTO app.t VALUES (30)");
            sandbox.sync(sandbox.node("db2"), java.util.List.of(sandbox.node("db1"), sandbox.node("db3")), Duration.ofSeconds(30));
            assertThat(sandbox.checksums().consistent()).isTrue();
        }
    }

    /** Runs a step, then again from the same input, as a retried Task does: the second finds its work done. */
    private static SwitchoverState twice(SwitchoverPhase phase, SwitchoverState state, FailoverContext context) {
        SwitchoverState first = phase.run(state, context);
        SwitchoverState second = phase.run(state, context);
        assertThat(second.newMaster()).isEqualTo(first.newMaster());
        return second;
    }
}
