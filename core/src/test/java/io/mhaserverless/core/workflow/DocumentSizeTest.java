package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.failover.FailoverState.ReplicaPosition;
import io.mhaserverless.core.failover.FailoverState.Salvage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Step Functions fails an execution whose state output exceeds 256 KB (States.DataLimitExceeded),
 * outside every Catch. The largest document a failover carries — every field filled, every replica
 * with GTID sets of several sources, a warning and an outcome each, the pinned configuration — stays
 * below half of it for clusters much larger than MHA ever managed (pessimistic: GTID sets of three
 * sources on every replica beside file/position outcomes, every replica outside the writer IP's
 * subnet, a warning each). The sizes are printed; 64 servers is the documented ceiling.
 */
class DocumentSizeTest {

    static final int LIMIT = 256 * 1024;

    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void theLargestFailoverDocumentStaysFarBelowTheStepFunctionsLimit(int servers) throws Exception {
        WorkflowDocument doc = largest(servers);
        ObjectNode tree = FailoverWorkflow.json().valueToTree(doc);
        // ReportFailure's payload: the document with the Catch's error beside it, and the execution's ARN
        tree.putObject("error").put("Error", "io.mhaserverless.core.failover.FailoverException")
                .put("Cause", "x".repeat(4096));
        tree.put("execution", "arn:aws:states:us-east-1:123456789012:execution:mha-failover:" + "n".repeat(80));
        int bytes = tree.toString().getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("DocumentSizeTest: %d servers -> %d bytes (%.1f %% of 256 KB)%n", servers, bytes, 100.0 * bytes / LIMIT);
        assertThat(bytes).isLessThan(LIMIT / 2);
        // and it round-trips: the next state reads what this one wrote
        assertThat(FailoverWorkflow.json().treeToValue(FailoverWorkflow.json().valueToTree(doc), WorkflowDocument.class)).isEqualTo(doc);
    }

    static WorkflowDocument largest(int servers) {
        String names = IntStream.rangeClosed(1, servers)
                .mapToObj(i -> "  - {name: database-server-%02d, host: 10.0.%d.%d, port: 3306, instanceId: i-0%016x,"
                        .formatted(i, i / 200, i % 200 + 10, i) + " binlogDir: /var/lib/mysql/binlogs-of-a-long-path}")
                .collect(Collectors.joining("\n"));
        var config = ConfigLoader.parseYaml("cluster: a-cluster-with-a-long-name\nuser: admin\npassword: admin\n"
                + "replicationUser: repl\nreplicationPassword: repl\nservers:\n" + names
                + "\nwriterIp: {mode: eni, address: 10.0.0.250}\n", "big.yaml");
        String gtids = IntStream.range(0, 3).mapToObj(u -> "3e11fa47-71ca-11e1-9e33-c80aa9429%03d:1-%d".formatted(u, 123456789 + u))
                .collect(Collectors.joining(","));
        List<ReplicaPosition> replicas = new ArrayList<>();
        List<ReplicaOutcome> outcomes = new ArrayList<>();
        Map<String, String> cannot = new HashMap<>();
        List<String> replicaNames = new ArrayList<>();
        for (int i = 2; i <= servers; i++) {
            String name = "database-server-%02d".formatted(i);
            replicaNames.add(name);
            replicas.add(new ReplicaPosition(name, "mysql-bin.000123", 987654321L, "mysql-bin.000123", 987654000L, gtids, gtids,
                    i % 3 == 0, i % 7 == 0, true, "/var/lib/mysql/relay/" + name + "-relay-bin.index", true, "", 0));
            outcomes.add(new ReplicaOutcome(name, i % 5 != 0, "repointed to database-server-02 at mysql-bin.000001:4; "
                    + "applied 123 events of the relay-log diff and the saved binlog; replication running"));
            cannot.put(name, "its interface eni-0123456789abcdef0 is in subnet subnet-0123456789abcdef0 (10.0.9.0/24),"
                    + " which does not contain the writer IP 10.0.0.250");
        }
        FailoverState state = FailoverState.start(config.cluster(), "database-server-01", null, false, 1764547200000L)
                .withDeadMaster("database-server-01", true)
                .withPositions(replicas, replicaNames, replicaNames, "mysql-bin.000123:987654321")
                .withRelaySource("database-server-02", replicaNames)
                // leftOut (errant replicas) and outcomes exclude each other: a left-out replica is not recovered
                .withCannotTakeWriterIp(cannot)
                .withSalvage(new Salvage(Salvage.Status.SAVED, "mysql-bin.000123:987654321", "/var/tmp/mha/x.binlog", 123456, 789,
                        12, "mysql-bin.000123:999999999", gtids, "saved by the node agent"))
                .withLastSeenMasterBinlog("mysql-bin.000123:987654321")
                .withFormerMaster("database-server-03")
                .withNewMaster("database-server-02", "the latest candidateMaster with all relay logs and no lag")
                .withNewMasterPosition(gtids, "mysql-bin.000001:123456")
                .withOutcomes(outcomes);
        for (String n : replicaNames) {
            state = state.withWarning(n + " replicates from nobody (multiTierSlave): left as it is, and a long explanation follows");
        }
        for (String phase : List.of("CheckConfiguration", "FenceDeadMaster", "FindLatestReplicas", "SaveDeadMasterBinlog",
                "SelectNewMaster", "RecoverNewMaster", "MoveWriterIp", "RecoverReplicas", "Cleanup")) {
            state = state.withPhase(new PhaseRecord(phase, 1764547200000L, 12345, "a one-line summary of what " + phase + " did"));
        }
        FailoverRequest input = FailoverRequest.parse(FailoverWorkflow.json().createObjectNode()
                .put("cluster", config.cluster()).put("deadMaster", "database-server-01"));
        return new WorkflowDocument(input, state, replicaNames, outcomes, outcomes, PinnedConfig.of(config));
    }
}
