package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, item 5; mirrors MHA's t_save_binlog_gtid: every replica stops receiving, the master
 * commits five rows and dies, and the config names a binlog directory of the dead master that does
 * not exist ({@code datax}) on a host that still answers. That is a configuration error, not a host
 * that is gone: the failover is refused before anything changes (MHA fails there too, unless
 * --ignore_binlog_server_error); with the right directory all five rows survive. Forced past it, the
 * failover goes on, but exits 11 and its report's subject says transactions may be lost. Before,
 * it went on by itself, lost the five rows and exited 0.
 */
class DeadMasterBinlogDirTest {

    @TempDir
    Path work;

    /** The replicas stop receiving, then the master commits five rows and is killed. Returns every id the master has. */
    private static Set<Long> fiveRowsOnlyTheMasterHas(Sandbox sandbox) throws Exception {
        ServerNode master = sandbox.master();
        master.execute("CREATE DATABASE app", "CREATE TABLE app.t (id BIGINT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        sandbox.sync(java.time.Duration.ofSeconds(30));
        sandbox.replicas().forEach(ServerNode::stopIoThread);
        for (int id = 2; id <= 6; id++) {
            master.execute("INSERT INTO app.t VALUES (" + id + ")");
        }
        Set<Long> committed = new HashSet<>(LocalCluster.ids(master, "app.t"));
        master.kill();
        return committed;
    }

    private static LocalCluster wrongBinlogDir(Sandbox sandbox, Path work) {
        Path right = sandbox.master().dataDir();
        return LocalCluster.edited(sandbox, work, yaml -> yaml.replace("binlogDir: " + right + "\n",
                "binlogDir: " + right.resolveSibling("datax") + "\n"));
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void aWrongBinlogDirOnAHostThatAnswersIsRefusedAndTheRightOneLosesNothing(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode))) {
            Set<Long> committed = fiveRowsOnlyTheMasterHas(sandbox);

            FailoverRun.Result refused = wrongBinlogDir(sandbox, work).failover();

            assertThat(refused.outcome()).as(refused.report().text()).isEqualTo(FailoverOutcome.REFUSED);
            assertThat(refused.report().text())
                    .contains("Failover stopped in CheckConfiguration: the host of the dead master " + sandbox.master()
                            + " answers, but its binlog cannot be read")
                    .contains("binlogDir " + sandbox.master().dataDir().resolveSibling("datax"))
                    .contains("Phases that completed: none (nothing was changed)");
            for (ServerNode r : sandbox.replicas()) {
                assertThat(r.replicaStatus("Master_Port")).as(r + " still follows the dead master")
                        .contains(Integer.toString(sandbox.master().port()));
                assertThat(r.queryString("SELECT @@read_only")).contains("1");
            }

            LocalCluster right = new LocalCluster(sandbox, work);
            FailoverRun.Result result = right.failover();

            right.assertRecovered(result, "app.t", committed);
        }
    }

    @ParameterizedTest
    @EnumSource(ReplicationMode.class)
    void forcedPastAnUnreadableBinlogDirTheFailoverExitsWithItsOwnCodeAndSaysSo(ReplicationMode mode) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, mode))) {
            fiveRowsOnlyTheMasterHas(sandbox);
            LocalCluster cluster = wrongBinlogDir(sandbox, work);
            Set<Long> received = cluster.receivedRows("app.t");

            FailoverRun.Result result = cluster.failover(true);

            assertThat(result.outcome().exitCode()).as(result.report().text()).isEqualTo(11);
            assertThat(result.report().subject()).isEqualTo("test: MySQL master failover db1 to " + result.state().newMaster()
                    + " succeeded; transactions may be lost");
            assertThat(result.report().text()).contains("Warning: the host of the dead master " + sandbox.master()
                    + " answers, but its binlog cannot be read").contains("failing over anyway (forced)");
            cluster.assertRecovered(result, FailoverOutcome.POSSIBLE_LOSS, "app.t", received);
        }
    }
}
