package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The old master's way back as an operator runs it on AWS: after a failover of the killed master,
 * the master comes back, and StartExecution of the real asl.json with {@code "mode":"rejoin"} makes
 * it a read-only replica of the new master (phase function over DynamoDB Local and the fakes).
 */
class LocalRejoinEndToEndTest {

    private static final String FAILOVER = "{\"cluster\":\"app1\",\"mode\":\"failover\",\"deadMaster\":\"db1\",\"newMaster\":\"db2\"}";
    private static final String REJOIN = "{\"cluster\":\"app1\",\"mode\":\"rejoin\",\"server\":\"db1\"}";

    @TempDir
    Path dir;

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aReturningOldMasterRejoinsAsAReplicaThroughStartExecution(Sandbox sandbox) throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            ServerNode db1 = sandbox.master();
            ServerNode db2 = sandbox.node("db2");
            WriteLoad.createTable(db1.host(), db1.port());
            sandbox.sync(Duration.ofSeconds(30));
            db1.kill();
            DescribeExecutionResponse failover = stack.await(stack.start(FAILOVER), Duration.ofMinutes(3));
            assertThat(failover.status()).as(failover.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            db2.execute("INSERT INTO " + WriteLoad.TABLE + " (id, item) VALUES (0, 'after the failover')");
            db1.start();

            String arn = stack.start(REJOIN);
            DescribeExecutionResponse done = stack.await(arn, Duration.ofMinutes(3));

            assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            JsonNode output = new ObjectMapper().readTree(done.output());
            assertThat(output.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(output.path("master").asText()).isEqualTo("db2");
            assertThat(stack.histories.get(arn)).filteredOn(e -> "StateEntered".equals(e.type()) && e.index() == null)
                    .extracting(io.mhaserverless.local.statemachine.Event::state)
                    .containsExactly("Mode", "CheckRejoin", "RejoinAsReplica", "Report");
            assertThat(db1.replicaStatus("Master_Port")).contains(Integer.toString(db2.port()));
            assertThat(db1.replicaStatus("Slave_IO_Running")).contains("Yes");
            assertThat(db1.queryString("SELECT @@read_only")).contains("1");
            // the writer IP stays on the new master
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).containsExactly(LocalAwsStack.instanceId(db2));
            Checksums sums = sandbox.syncAndChecksum(db2, Duration.ofSeconds(30));
            assertThat(sums.consistent()).as(sums.differences()).isTrue();
            assertThat(sums.byServer()).containsOnlyKeys("db1", "db2", "db3");
            // DynamoDB: the rejoin in the history, the failover's last-failover record as it was, the lock released
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).hasSize(2).first()
                    .satisfies(h -> assertThat(h.executionId() + " " + h.outcome() + " " + h.deadMaster() + "->" + h.newMaster())
                            .isEqualTo(arn + " succeeded db1->db2"));
            assertThat(stack.stateStore.lastFailover(LocalAwsStack.CLUSTER)).get()
                    .satisfies(l -> assertThat(l.status()).isEqualTo(LastFailover.Status.COMPLETED))
                    .satisfies(l -> assertThat(l.executionId()).isNotEqualTo(arn));
            assertThat(stack.stateStore.lock(LocalAwsStack.CLUSTER, "someone-else", Duration.ofSeconds(1))).isTrue();
            assertThat(stack.aws.sns().published()).hasSize(2).last().satisfies(p -> {
                assertThat(p.subject()).isEqualTo("app1: db1 rejoin as a replica succeeded");
                assertThat(p.message()).contains("Rejoin Report", "replicating from ");
            });
        }
    }
}
