package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MHA's non-GTID failover for real: 1 master + 3 replicas replicating by file and position, made to
 * differ (IO threads stopped at different moments, the most advanced replica's relay log flushed so
 * the diff spans relay files), the master SIGKILLed under writes. Afterwards every survivor has the
 * same data and every transaction any survivor had received.
 */
class FilePositionChaosTest {

    @TempDir
    Path work;

    /** Makes the replicas differ and kills the master; returns every write the master acknowledged. */
    private static Set<Long> divergeAndKill(Sandbox sandbox, long seed) throws Exception {
        Random random = new Random(seed);
        ServerNode master = sandbox.master();
        WriteLoad.createTable(master.host(), master.port());
        try (WriteLoad load = new WriteLoad(master.host(), master.port(), false)) {
            Thread.sleep(150 + random.nextInt(200));
            sandbox.node("db2").stopIoThread();
            sandbox.node("db4").flushRelayLogs();
            Thread.sleep(150 + random.nextInt(200));
            sandbox.node("db3").stopIoThread();
            sandbox.node("db4").flushRelayLogs();
            Thread.sleep(100 + random.nextInt(300));
            master.kill();
            load.close();
            return new HashSet<>(load.acknowledged());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    @MariaDbTopology(replicas = 3, mode = ReplicationMode.FILE)
    void replicasThatDifferAreAllBroughtToTheLatestStateAndNothingAcknowledgedIsLost(long seed, Sandbox sandbox) throws Exception {
        Set<Long> acknowledged = divergeAndKill(sandbox, seed);

        LocalCluster cluster = new LocalCluster(sandbox, work);
        FailoverRun.Result result = cluster.failover();

        assertThat(result.state().gtid()).isFalse();
        assertThat(result.state().oldest()).containsExactly("db2");
        assertThat(result.state().latest()).containsExactly("db4");
        cluster.assertRecovered(result, WriteLoad.TABLE, acknowledged);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32})
    @MariaDbTopology(replicas = 3, mode = ReplicationMode.FILE)
    void aLaggingCandidateMasterIsPromotedAndTheOthersStillGetTheirDiffsFromTheLatestReplica(long seed, Sandbox sandbox)
            throws Exception {
        Set<Long> acknowledged = divergeAndKill(sandbox, seed);

        LocalCluster cluster = new LocalCluster(sandbox, work, java.util.Map.of("db2", "candidateMaster: true"));
        FailoverRun.Result result = cluster.failover();

        assertThat(result.state().newMaster()).isEqualTo("db2");
        assertThat(result.state().latest()).containsExactly("db4");
        cluster.assertRecovered(result, WriteLoad.TABLE, acknowledged);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    @MariaDbTopology(replicas = 3, mode = ReplicationMode.FILE)
    void withoutTheDeadMastersDiskEverythingAnySurvivorReceivedIsKept(long seed, Sandbox sandbox) throws Exception {
        divergeAndKill(sandbox, seed);
        LocalCluster cluster = new LocalCluster(sandbox, work);
        LocalCluster.takeHostAway(sandbox.master());
        Set<Long> received = cluster.receivedRows(WriteLoad.TABLE);

        FailoverRun.Result result = cluster.failover();

        assertThat(result.report().text()).contains("may be lost");
        cluster.assertRecovered(result, io.mhaserverless.core.failover.FailoverOutcome.POSSIBLE_LOSS, WriteLoad.TABLE, received);
    }
}
