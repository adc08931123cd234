package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The fence takes the writer address from the dead master (release); its host lets go of it only
 * after the new master has it (clearOldHost, in Cleanup): on AWS the host's unbind-ip goes through
 * SSM, and a host that died with its instance would hold the failover for the whole pending limit.
 */
class OldHostClearedLastTest {

    @Test
    @MariaDbTopology(replicas = 2)
    void theDeadMastersHostIsClearedAfterTheNewMasterHasTheAddress(Sandbox sandbox) {
        Cluster cluster = new Cluster(sandbox);
        sandbox.master().kill();
        List<String> calls = new CopyOnWriteArrayList<>();
        WriterIp recording = new WriterIp() {
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
                return "a recording writer address";
            }
        };

        FailoverRun.Result result = cluster.failover(null, null, false, recording, NodeAgent.NONE);

        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverAssertions.expectedOutcome(result));
        assertThat(calls).containsExactly("release db1", "assign " + result.state().newMaster(), "clearOldHost db1");
    }
}
