package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * mysqld of the master is killed while its datadir stays readable (its host still answers): every
 * write the master acknowledged must end up on the new master and on every replica — also the
 * ones no replica received — in GTID and in file/position mode. When the host does not answer,
 * the report must say from where transactions may be lost.
 */
class DeadMasterSalvageTest {

    @TempDir
    Path work;

    /** Replicas stop receiving before the master stops writing: only the dead master's binlog has the tail. */
    private static Set<Long> writeWithATailOnlyTheMasterHas(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        WriteLoad.createTable(master.host(), master.port());
        try (WriteLoad load = new WriteLoad(master.host(), master.port(), false)) {
            Thread.sleep(400);
            sandbox.replicas().forEach(ServerNode::stopIoThread);
            Thread.sleep(300);
            master.kill();
            load.close();
            return new HashSet<>(load.acknowledged());
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void everyAcknowledgedWriteSurvivesWhenTheDeadMastersDiskIsReadable(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, mode))) {
            Set<Long> acknowledged = writeWithATailOnlyTheMasterHas(sandbox);
            Set<Long> onReplicas = LocalCluster.ids(sandbox.node("db2"), WriteLoad.TABLE);
            assertThat(acknowledged).as("the replicas lack part of what the master acknowledged").hasSizeGreaterThan(onReplicas.size());

            LocalCluster cluster = new LocalCluster(sandbox, work);
            FailoverRun.Result result = cluster.failover();

            assertThat(result.state().salvage().status()).isEqualTo(FailoverState.Salvage.Status.SAVED);
            assertThat(result.state().salvage().transactions()).isPositive();
            assertThat(result.report().text()).contains("Saved " + result.state().salvage().transactions() + " transactions");
            cluster.assertRecovered(result, WriteLoad.TABLE, acknowledged);
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void anUnreachableDeadMasterHostIsReportedWithThePositionFromWhichWritesMayBeLost(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode))) {
            writeWithATailOnlyTheMasterHas(sandbox);
            LocalCluster.takeHostAway(sandbox.master());
            LocalCluster cluster = new LocalCluster(sandbox, work);
            Set<Long> received = cluster.receivedRows(WriteLoad.TABLE);

            FailoverRun.Result result = cluster.failover();

            assertThat(result.state().salvage().status()).isEqualTo(FailoverState.Salvage.Status.UNREACHABLE);
            assertThat(result.report().text()).contains("Transactions " + sandbox.master() + " wrote after " + result.state().boundary()
                    + " may be lost");
            // issue 17, item 5: a failover that goes on with a possible loss exits with its own code and says so first
            assertThat(result.outcome().exitCode()).isEqualTo(11);
            assertThat(result.report().subject()).endsWith("succeeded; transactions may be lost");
            cluster.assertRecovered(result, FailoverOutcome.POSSIBLE_LOSS, WriteLoad.TABLE, received);
        }
    }

}
