package io.mhaserverless.core.failover;

import io.mhaserverless.local.FailoverRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.mysql.MariaDbGtidSet;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.ServerNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What must hold after every successful failover, whatever the topology did before. */
final class FailoverAssertions {

    private FailoverAssertions() {
    }

    /**
     * @param receivedBefore each survivor's received GTID position right after the kill: nothing any
     *                       survivor received may be missing from the new master
     */
    static void assertHealthyAfterFailover(Cluster cluster, FailoverRun.Result result, Map<String, String> receivedBefore) {
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(expectedOutcome(result));
        ServerNode newMaster = cluster.sandbox.node(result.state().newMaster());
        ServerNode dead = cluster.sandbox.node(result.state().deadMaster());
        List<ServerNode> survivors = cluster.sandbox.nodes().stream()
                .filter(n -> n != dead && n.state() == ServerNode.State.RUNNING).toList();

        assertThat(newMaster.queryString("SELECT @@read_only")).contains("0");
        assertThat(newMaster.replicaStatus("Master_Host")).as("the new master is nobody's replica").isEmpty();
        newMaster.execute("CREATE DATABASE IF NOT EXISTS after_failover", "CREATE TABLE IF NOT EXISTS after_failover.t (id INT PRIMARY KEY)",
                "INSERT INTO after_failover.t VALUES (1)");
        for (ServerNode r : survivors) {
            if (r == newMaster) {
                continue;
            }
            assertThat(r.queryString("SELECT @@read_only")).as(r + " read_only").contains("1");
            assertThat(r.replicaStatus("Master_Port")).as(r + " follows the new master").contains(Integer.toString(newMaster.port()));
            assertThat(r.replicaStatus("Slave_IO_Running")).as(r + " IO").contains("Yes");
            assertThat(r.replicaStatus("Slave_SQL_Running")).as(r + " SQL").contains("Yes");
        }
        Checksums sums = cluster.sandbox.syncAndChecksum(newMaster, Duration.ofSeconds(30));
        assertThat(sums.consistent()).as(sums.differences()).isTrue();
        assertThat(sums.byServer()).containsOnlyKeys(survivors.stream().map(ServerNode::name).toArray(String[]::new));

        MariaDbGtidSet executed = MariaDbGtidSet.parse(newMaster.queryString("SELECT @@gtid_binlog_state").orElseThrow());
        receivedBefore.forEach((name, received) -> assertThat(executed.contains(MariaDbGtidSet.parse(received)))
                .as("new master %s has everything %s had received (%s), has %s", newMaster, name, received, executed)
                .isTrue());
    }

    /**
     * Succeeded — or, when the dead master's binlog was out of reach (these failovers mostly run
     * without a node agent), the outcome that says transactions may be lost (issue 17, item 5).
     */
    static FailoverOutcome expectedOutcome(FailoverRun.Result result) {
        boolean unreachable = result.state() != null && result.state().salvage() != null
                && result.state().salvage().status() == FailoverState.Salvage.Status.UNREACHABLE;
        return unreachable ? FailoverOutcome.POSSIBLE_LOSS : FailoverOutcome.SUCCEEDED;
    }

    /** Each live replica's Gtid_IO_Pos: what it had received from the master. */
    static Map<String, String> received(Cluster cluster, ServerNode dead) {
        return cluster.sandbox.nodes().stream()
                .filter(n -> n != dead && n.state() == ServerNode.State.RUNNING)
                .collect(java.util.stream.Collectors.toMap(ServerNode::name, n -> n.replicaStatus("Gtid_IO_Pos").orElse("")));
    }
}
