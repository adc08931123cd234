package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 3: a replica whose host cannot take the writer IP (AWS: its ENI's subnet does not
 * contain it) is treated as noMaster, and a failover that would leave nobody to take it is refused
 * before anything is fenced.
 */
public class WriterIpSubnetTest {

    /** A writer address that the named servers cannot take; records every release and assign. */
    public static final class Subnets implements WriterIp {
        final Set<String> outside;
        public final List<String> calls = new CopyOnWriteArrayList<>();

        public Subnets(Set<String> outside) {
            this.outside = outside;
        }

        @Override
        public Optional<String> cannotTake(ServerConfig server) {
            return outside.contains(server.name()) ? Optional.of("its subnet does not contain 10.0.1.50") : Optional.empty();
        }

        @Override
        public void release(ServerConfig oldMaster) {
            calls.add("release " + oldMaster.name());
        }

        @Override
        public void assign(ServerConfig newMaster) {
            calls.add("assign " + newMaster.name());
        }

        @Override
        public void clearOldHost(ServerConfig oldMaster) {
            calls.add("clearOldHost " + oldMaster.name());
        }

        @Override
        public String describe() {
            return "a writer IP outside some subnets";
        }
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aReplicaOutsideTheWriterIpsSubnetIsNotPromoted(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        // Both replicas are equally latest; without the check db2 (the first) is chosen.
        Subnets writerIp = new Subnets(Set.of("db2"));

        FailoverRun.Result result = cluster.failover(null, null, false, writerIp, NodeAgent.NONE);

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(result));
        assertThat(result.state().newMaster()).isEqualTo("db3");
        assertThat(result.state().cannotTakeWriterIp()).containsOnlyKeys("db2");
        assertThat(result.report().text()).contains("db2 is treated as noMaster: it cannot take the writer IP");
        // the fence releases; the dead master's host lets go only once the new master has the address (Cleanup):
        // on AWS that is an SSM command, which a host that died with its instance never runs
        assertThat(writerIp.calls).containsExactly("release db1", "assign db3", "clearOldHost db1");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void nobodyWhoCanTakeTheWriterIpRefusesBeforeTheFence(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        Subnets writerIp = new Subnets(Set.of("db2", "db3"));
        var before = cluster.fingerprint();

        FailoverRun.Result result = cluster.failover(null, null, false, writerIp, NodeAgent.NONE);

        assertThat(result.outcome()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("none that may be promoted can take the writer IP");
        assertThat(writerIp.calls).isEmpty();
        assertThat(cluster.fingerprint()).isEqualTo(before);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aRequestedNewMasterThatCannotTakeTheWriterIpIsRefused(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        Subnets writerIp = new Subnets(Set.of("db3"));

        FailoverRun.Result result = cluster.failover(null, "db3", false, writerIp, NodeAgent.NONE);

        assertThat(result.outcome()).isEqualTo(FailoverOutcome.REFUSED);
        assertThat(result.report().text()).contains("newMaster db3 cannot take the writer IP: its subnet does not contain 10.0.1.50");
        assertThat(writerIp.calls).isEmpty();
    }
}
