package io.mhaserverless.local.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The Java interpreter against aws-local-stepfunctions on the real asl.json: the same inputs and the
 * same task answers must give the same states in the same order (per Map iteration too), the same
 * retries and catches, and the same end. Node and statemachine/node_modules come from
 * scripts/setup, which the test command runs first.
 */
class AslParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SUBSTITUTIONS = Map.of("PhaseFunctionArn", "arn:aws:lambda:local:0:function:mha-phase",
            "ReportTopicArn", "arn:aws:sns:local:0:mha-reports");
    private static final String RETRYABLE = "io.mhaserverless.functions.aws.RetryableFailure";

    private final NodeStateMachine node = new NodeStateMachine(NodeStateMachine.locate(), SUBSTITUTIONS, Duration.ofMinutes(2));
    private final AslInterpreter interpreter = new AslInterpreter(StateMachineDefinition.bundled(SUBSTITUTIONS));

    @Test
    void gtidSuccess() {
        Outcome o = parity(() -> new ScriptedTasks(true), input());
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).contains("StateEntered:RecoverReplicas").doesNotContain("StateEntered:ApplyRelayLogDiffs");
    }

    @Test
    void filePositionRunsBothMaps() {
        Outcome o = parity(() -> new ScriptedTasks(false), input());
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).containsSubsequence("StateEntered:ApplyRelayLogDiffs", "StateEntered:RecoverReplicas", "StateEntered:Cleanup");
        assertThat(o.iterations).containsKeys("ApplyRelayLogDiffs#0", "ApplyRelayLogDiffs#1", "RecoverReplicas#0", "RecoverReplicas#1");
    }

    @Test
    void retryableFailureIsRetried() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("MoveWriterIp", RETRYABLE), input());
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).containsSubsequence("StateFailed:MoveWriterIp", "StateRetried:MoveWriterIp", "StateExited:MoveWriterIp");
    }

    @Test
    void fatalErrorEndsInFailoverFailed() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("RecoverNewMaster", "io.mhaserverless.functions.aws.FatalFailure"),
                input());
        assertThat(o.status).isEqualTo("FAILED");
        assertThat(o.error).isEqualTo("FailoverFailed");
        assertThat(o.top).containsSubsequence("StateCaught:RecoverNewMaster", "StateEntered:ReportFailure");
    }

    @Test
    void refusalEndsInFailoverRefused() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("CheckConfiguration", "io.mhaserverless.core.workflow.FailoverRefused"),
                input());
        assertThat(o.error).isEqualTo("FailoverRefused");
        assertThat(o.top).contains("StateEntered:ReportRefusal");
    }

    @Test
    void badInputIsRejectedBeforeAnything() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("CheckConfiguration", "io.mhaserverless.core.workflow.InputRejected"),
                input());
        assertThat(o.error).isEqualTo("InputRejected");
        assertThat(o.calls).containsExactly("CheckConfiguration");
    }

    @Test
    void aFailedMapIterationIsCaught() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("RecoverReplica/db4", "java.lang.IllegalStateException"), input());
        assertThat(o.error).isEqualTo("FailoverFailed");
        assertThat(o.top).containsSubsequence("StateCaught:RecoverReplicas", "StateEntered:ReportFailure");
    }

    @Test
    void aFailedReportSendsTheBareNotice() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("Report", "java.lang.IllegalStateException"), input());
        assertThat(o.error).isEqualTo("ReportNotSent");
        assertThat(o.calls).anyMatch(c -> c.startsWith("sns:"));
    }

    @Test
    void inputWithoutAModeIsAFailover() {
        Outcome o = parity(() -> new ScriptedTasks(true), JSON.createObjectNode().put("cluster", "app1"));
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).containsSubsequence("StateEntered:Mode", "StateEntered:CheckConfiguration", "StateEntered:FenceDeadMaster");
    }

    @Test
    void switchoverTakesItsOwnBranchAndTheOldMasterFollowsTheNewOne() {
        Outcome o = parity(() -> new ScriptedTasks(true), switchover(true));
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).containsSubsequence("StateEntered:Mode", "StateEntered:CheckSwitchover", "StateEntered:SwitchMaster",
                "StateEntered:RepointReplicas", "StateEntered:SwitchoverCleanup", "StateEntered:OrigMasterRole",
                "StateEntered:OrigMasterAsReplica", "StateEntered:Report").doesNotContain("StateEntered:CheckConfiguration");
        assertThat(o.iterations).containsKeys("RepointReplicas#0", "RepointReplicas#1");
    }

    @Test
    void switchoverWithoutOrigMasterIsNewSlaveLeavesTheOldMasterAlone() {
        Outcome o = parity(() -> new ScriptedTasks(true), switchover(false));
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).contains("StateEntered:OrigMasterRole").doesNotContain("StateEntered:OrigMasterAsReplica");
    }

    @Test
    void aRolledBackSwitchIsReportedAsFailed() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("SwitchMaster", "io.mhaserverless.core.switchover.SwitchoverRolledBack"),
                switchover(true));
        assertThat(o.error).isEqualTo("FailoverFailed");
        assertThat(o.top).containsSubsequence("StateCaught:SwitchMaster", "StateEntered:ReportFailure")
                .doesNotContain("StateRetried:SwitchMaster");
        assertThat(o.calls).doesNotContain("RepointReplica/db3");
    }

    @Test
    void aRefusedSwitchoverEndsInFailoverRefused() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("CheckSwitchover", "io.mhaserverless.core.workflow.FailoverRefused"),
                switchover(false));
        assertThat(o.error).isEqualTo("FailoverRefused");
        assertThat(o.calls).containsExactly("CheckSwitchover", "ReportRefusal");
    }

    @Test
    void rejoinTakesItsOwnBranch() {
        Outcome o = parity(() -> new ScriptedTasks(true), rejoin());
        assertThat(o.status).isEqualTo("SUCCEEDED");
        assertThat(o.top).containsSubsequence("StateEntered:Mode", "StateEntered:CheckRejoin", "StateEntered:RejoinAsReplica",
                "StateEntered:Report").doesNotContain("StateEntered:CheckConfiguration", "StateEntered:CheckSwitchover");
        assertThat(o.calls).containsExactly("CheckRejoin", "RejoinAsReplica", "Report");
    }

    @Test
    void aRefusedRejoinEndsInFailoverRefused() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("CheckRejoin", "io.mhaserverless.core.failover.FailoverException"),
                rejoin());
        assertThat(o.error).isEqualTo("FailoverRefused");
        assertThat(o.calls).containsExactly("CheckRejoin", "ReportRefusal");
    }

    @Test
    void aRejoinThatFailsIsRetriedWhenTransientThenReported() {
        Outcome o = parity(() -> new ScriptedTasks(true).failing("RejoinAsReplica", "io.mhaserverless.core.failover.TransientFailure",
                "io.mhaserverless.core.failover.FailoverException"), rejoin());
        assertThat(o.error).isEqualTo("FailoverFailed");
        assertThat(o.top).containsSubsequence("StateRetried:RejoinAsReplica", "StateCaught:RejoinAsReplica", "StateEntered:ReportFailure");
    }

    private static JsonNode rejoin() {
        return JSON.createObjectNode().put("cluster", "app1").put("mode", "rejoin").put("server", "db1");
    }

    private static JsonNode switchover(boolean origMasterIsNewSlave) {
        return JSON.createObjectNode().put("cluster", "app1").put("mode", "switchover").put("newMaster", "db2")
                .put("origMasterIsNewSlave", origMasterIsNewSlave);
    }

    @Test
    void concurrentExecutionsOneHoldsTheLock() throws Exception {
        // the first CheckConfiguration to run wins, as the DynamoDB conditional write decides
        Supplier<TaskHandler> lockOnce = () -> {
            AtomicBoolean locked = new AtomicBoolean();
            return (state, resource, input) -> {
                if ("CheckConfiguration".equals(state) && !locked.compareAndSet(false, true)) {
                    throw new StatesError("io.mhaserverless.core.workflow.FailoverAlreadyRunning", "{\"errorMessage\":\"held\"}");
                }
                return new ScriptedTasks(true).handle(state, resource, input);
            };
        };
        for (boolean useNode : List.of(false, true)) {
            TaskHandler shared = lockOnce.get();
            CompletableFuture<Execution> a = CompletableFuture.supplyAsync(() -> run(useNode, input(), shared));
            CompletableFuture<Execution> b = CompletableFuture.supplyAsync(() -> run(useNode, input(), shared));
            List<String> ends = new ArrayList<>(List.of(end(a.get()), end(b.get())));
            ends.sort(null);
            assertThat(ends).as(useNode ? "node" : "java").containsExactly("FAILED/FailoverAlreadyRunning", "SUCCEEDED/null");
        }
    }

    @Test
    void unknownStateTypeIsRefusedAtLoad() throws Exception {
        String asl = Files.readString(NodeStateMachine.locate().resolve("asl.json")).replace("\"Type\": \"Choice\"", "\"Type\": \"Wait\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateMachineDefinition.parse(asl, SUBSTITUTIONS, "asl.json"))
                .hasMessageContaining("state Mode: Type Wait is not supported");
    }

    private Execution run(boolean useNode, JsonNode input, TaskHandler tasks) {
        String arn = "arn:aws:states:local:0:execution:mha-failover:" + java.util.UUID.randomUUID();
        return useNode ? node.run(arn, input, tasks, e -> { }) : interpreter.run(arn, input, tasks, e -> { });
    }

    private static String end(Execution e) {
        return e.status() + "/" + e.error();
    }

    private Outcome parity(Supplier<ScriptedTasks> script, JsonNode input) {
        ScriptedTasks forJava = script.get();
        Outcome j = Outcome.of(run(false, input, forJava), forJava);
        ScriptedTasks forNode = script.get();
        Outcome n = Outcome.of(run(true, input, forNode), forNode);
        assertThat(j.top).as("top-level states").isEqualTo(n.top);
        // Once a Map has failed, aws-local-stepfunctions stops logging its other iterations; the Java
        // runtime lets them finish their task (no phase is cut off half-way) and logs it: a longer history, same start.
        assertThat(j.iterations.keySet()).as("Map iterations").isEqualTo(n.iterations.keySet());
        n.iterations.forEach((k, v) -> assertThat(j.iterations.get(k)).as("Map iteration " + k).startsWith(v.toArray(String[]::new)));
        boolean aMapFailed = n.iterations.keySet().stream().anyMatch(k -> n.top.contains("StateCaught:" + k.substring(0, k.indexOf('#'))));
        if (!aMapFailed) {
            assertThat(j.iterations).as("Map iterations").isEqualTo(n.iterations);
        }
        assertThat(j.status + "/" + j.error + "/" + j.cause).as("end").isEqualTo(n.status + "/" + n.error + "/" + n.cause);
        assertThat(j.output).as("output").isEqualTo(n.output);
        assertThat(j.calls.stream().sorted().toList()).as("task calls").isEqualTo(n.calls.stream().sorted().toList());
        return j;
    }

    private static JsonNode input() {
        return JSON.createObjectNode().put("cluster", "app1").put("mode", "failover");
    }

    /** An execution reduced to what both runtimes must agree on. */
    private record Outcome(List<String> top, Map<String, List<String>> iterations, String status, String error, String cause,
                           JsonNode output, List<String> calls) {
        static Outcome of(Execution e, ScriptedTasks tasks) {
            List<String> top = new ArrayList<>();
            Map<String, List<String>> iterations = new TreeMap<>();
            for (Event ev : e.events()) {
                if (!ev.type().startsWith("State")) {
                    continue;
                }
                String entry = ev.type() + ":" + ev.state();
                if (ev.index() == null) {
                    top.add(entry);
                } else {
                    iterations.computeIfAbsent(parentOf(e, ev) + "#" + ev.index(), k -> new ArrayList<>()).add(entry);
                }
            }
            return new Outcome(top, iterations, e.status(), e.error(), e.cause(), e.output(), List.copyOf(tasks.calls));
        }

        /** Node's nested events name no parent; the Map state entered last before them is theirs. */
        private static String parentOf(Execution e, Event ev) {
            if (ev.parent() != null) {
                return ev.parent();
            }
            String parent = null;
            for (Event x : e.events()) {
                if (x == ev) {
                    break;
                }
                if (x.index() == null && "StateEntered".equals(x.type())) {
                    parent = x.state();
                }
            }
            return parent;
        }
    }
}
