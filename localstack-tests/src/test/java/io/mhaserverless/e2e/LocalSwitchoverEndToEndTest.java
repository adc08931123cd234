package io.mhaserverless.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * A planned switchover as an operator starts one on AWS: StartExecution of the real asl.json with
 * {@code "mode":"switchover"}, the phase function over DynamoDB Local and the wire-level fakes of
 * EC2, SSM and SNS, while an application writes to the master.
 */
class LocalSwitchoverEndToEndTest {

    private static final String INPUT = "{\"cluster\":\"app1\",\"mode\":\"switchover\",\"newMaster\":\"db2\","
            + "\"origMasterIsNewSlave\":true,\"runningUpdatesLimit\":2}";

    @TempDir
    Path dir;

    @Test
    @MariaDbTopology(replicas = 2, mode = ReplicationMode.GTID)
    void aSwitchoverUnderWritesMovesTheWriterIpLosesNothingAndLeavesTheGuardAlone(Sandbox sandbox) throws Exception {
        try (LocalAwsStack stack = new LocalAwsStack(sandbox, dir)) {
            ServerNode master = sandbox.master();
            WriteLoad.createTable(master.host(), master.port());
            WriteLoad.createAppUser(master.host(), master.port(), "app", "app");
            sandbox.sync(Duration.ofSeconds(30));
            WriteLoad load = new WriteLoad(master.host(), master.port(), false, "app", "app", 1, 1);
            Thread.sleep(1000);

            String arn = stack.start(INPUT);
            DescribeExecutionResponse done = stack.await(arn, Duration.ofMinutes(3));
            load.close();

            assertThat(done.status()).as(done.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            JsonNode output = new ObjectMapper().readTree(done.output());
            assertThat(output.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(output.path("newMaster").asText()).isEqualTo("db2");
            assertThat(stack.histories.get(arn)).filteredOn(e -> "StateEntered".equals(e.type()) && e.index() == null)
                    .extracting(io.mhaserverless.local.statemachine.Event::state)
                    .containsExactly("Mode", "CheckSwitchover", "SwitchMaster", "RepointReplicas", "SwitchoverCleanup", "OrigMasterRole",
                            "OrigMasterAsReplica", "Report");
            ServerNode db2 = sandbox.node("db2");
            assertThat(stack.aws.ec2().holders(LocalAwsStack.WRITER_IP)).containsExactly(LocalAwsStack.instanceId(db2));
            assertThat(db2.queryString("SELECT @@read_only")).contains("0");
            assertThat(master.queryString("SELECT @@read_only")).contains("1");
            assertThat(master.replicaStatus("Master_Port")).contains(Integer.toString(db2.port()));
            assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(db2.port()));
            assertThat(load.acknowledged()).isNotEmpty();
            assertThat(load.missingOn(db2.host(), db2.port())).isZero();
            db2.execute("INSERT INTO " + WriteLoad.TABLE + " (id, item) VALUES (0, 'after')");
            Checksums sums = sandbox.syncAndChecksum(db2, Duration.ofSeconds(30));
            assertThat(sums.consistent()).as(sums.differences()).isTrue();
            assertThat(sums.byServer()).containsOnlyKeys("db1", "db2", "db3");
            // recorded in the history, the last-failover guard untouched, the lock released
            assertThat(stack.stateStore.history(LocalAwsStack.CLUSTER, 10)).singleElement()
                    .satisfies(h -> assertThat(h.outcome() + " " + h.deadMaster() + "->" + h.newMaster()).isEqualTo("succeeded db1->db2"));
            assertThat(stack.stateStore.lastFailover(LocalAwsStack.CLUSTER)).isEmpty();
            assertThat(stack.stateStore.lock(LocalAwsStack.CLUSTER, "someone-else", Duration.ofSeconds(1))).isTrue();
            assertThat(stack.aws.sns().published()).singleElement().satisfies(p -> {
                assertThat(p.subject()).isEqualTo("app1: MySQL master switchover db1 to db2 succeeded");
                assertThat(p.message()).contains("Switchover Report", "Writes were blocked for ");
            });
            System.out.println("[e2e] switchover: write block " + output.path("writeBlockMillis").asLong() + " ms (EC2 and SSM"
                    + " fakes on loopback); steps: " + String.join(", ", stack.steps));
        }
    }
}
