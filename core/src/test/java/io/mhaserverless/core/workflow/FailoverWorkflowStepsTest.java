package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.PhaseName;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.failover.FailoverState.ReplicaPosition;
import io.mhaserverless.core.failover.Phase;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.LastFailover;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FailoverWorkflowStepsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final FailoverRequest REQUEST = new FailoverRequest("app1", FailoverRequest.Mode.FAILOVER, "db1", null, false,
            false, null);
    private static final String FAILOVER_EXCEPTION = "io.mhaserverless.core.failover.FailoverException";

    /** Hosts are 127.0.0.1 on ports nobody listens on: a step that got as far as a server would fail differently. */
    private static final String CONFIG_YAML = """
            cluster: app1
            user: admin
            password: admin
            connectTimeout: 1s
            lastFailoverMinutes: 60
            servers:
              - name: db1
                host: 127.0.0.1
                port: 1
              - name: db2
                host: 127.0.0.1
                port: 2
            """;

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FailoverState stateWithPhases(String... phases) {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 0);
        for (String phase : phases) {
            state = state.withPhase(new FailoverState.PhaseRecord(phase, 0, 1, ""));
        }
        return state;
    }

    private static WorkflowDocument document(FailoverState state, List<ReplicaOutcome> recovered) {
        return new WorkflowDocument(REQUEST, state, List.of(), List.of(), recovered, null);
    }

    private static String[] phasesUpTo(String last) {
        List<String> names = java.util.Arrays.stream(PhaseName.values()).map(PhaseName::stateName).toList();
        return names.subList(0, names.indexOf(last) + 1).toArray(String[]::new);
    }

    @Nested
    class FailedPhase {

        @Test
        void isTheFirstPhaseWhenNoneCompleted() {
            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(), List.of()))).isEqualTo("CheckConfiguration");
        }

        @Test
        void isThePhaseAfterTheLastThatCompleted() {
            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(phasesUpTo("CheckConfiguration")), List.of())))
                    .isEqualTo("FenceDeadMaster");
            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(phasesUpTo("SelectNewMaster")), List.of())))
                    .isEqualTo("RecoverNewMaster");
        }

        @Test
        void isTheFirstPhaseOfTheOrderThatHasNoRecord() {
            // records in the order they were written do not matter; the engine's order does
            FailoverState state = stateWithPhases("FindLatestReplicas", "CheckConfiguration");

            assertThat(FailoverWorkflow.failedPhase(document(state, List.of()))).isEqualTo("FenceDeadMaster");
        }

        @Test
        void isRecoverReplicasWhenTheMapProducedNoOutcomes() {
            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(phasesUpTo("MoveWriterIp")), List.of())))
                    .isEqualTo("RecoverReplicas");
        }

        @Test
        void isCleanupWhenTheMapsOutcomesArePresentButNotYetRecorded() {
            List<ReplicaOutcome> recovered = List.of(new ReplicaOutcome("db3", true, "replicating from db2, caught up"));

            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(phasesUpTo("MoveWriterIp")), recovered)))
                    .isEqualTo("Cleanup");
        }

        @Test
        void isReportWhenEveryPhaseCompleted() {
            assertThat(FailoverWorkflow.failedPhase(document(stateWithPhases(phasesUpTo("Cleanup")), List.of())))
                    .isEqualTo("Report");
        }
    }

    @Nested
    class ErrorMessage {

        @Test
        void takesMessageAndTypeFromALambdaCause() {
            ObjectNode error = JSON.createObjectNode().put("Error", FAILOVER_EXCEPTION)
                    .put("Cause", "{\"errorMessage\":\"the master db1 is alive\",\"errorType\":\"" + FAILOVER_EXCEPTION
                            + "\",\"stackTrace\":[]}");

            assertThat(FailoverWorkflow.errorMessage(error)).isEqualTo("the master db1 is alive (" + FAILOVER_EXCEPTION + ")");
        }

        @Test
        void fallsBackToTheErrorNameWhenTheLambdaCauseHasNoType() {
            ObjectNode error = JSON.createObjectNode().put("Error", "java.lang.IllegalStateException")
                    .put("Cause", "{\"errorMessage\":\"boom\"}");

            assertThat(FailoverWorkflow.errorMessage(error)).isEqualTo("boom (java.lang.IllegalStateException)");
        }

        @Test
        void keepsAPlainCauseAndAddsTheErrorName() {
            ObjectNode error = JSON.createObjectNode().put("Error", "States.Timeout").put("Cause", "Task timed out after 60.00 seconds");

            assertThat(FailoverWorkflow.errorMessage(error)).isEqualTo("Task timed out after 60.00 seconds (States.Timeout)");
        }

        @Test
        void isTheErrorNameAloneWithoutACause() {
            assertThat(FailoverWorkflow.errorMessage(JSON.createObjectNode().put("Error", "States.Timeout"))).isEqualTo("States.Timeout");
        }

        @Test
        void isUnknownWithoutAnError() {
            assertThat(FailoverWorkflow.errorMessage(null)).isEqualTo("unknown error");
            assertThat(FailoverWorkflow.errorMessage(NullNode.getInstance())).isEqualTo("unknown error");
        }
    }

    /** Handles without any server: every case here must end before a phase would open a connection. */
    @Nested
    class Handle {

        private final RecordingStateStore store = new RecordingStateStore();
        private final RecordingNotifier notifier = new RecordingNotifier();

        private FailoverWorkflow workflow(Function<String, FailoverContext> context) {
            return new FailoverWorkflow(new FakeRuntime(store, notifier, context));
        }

        private FailoverWorkflow workflowWithoutContext() {
            return workflow(cluster -> {
                throw new AssertionError("context(" + cluster + ") must not be needed");
            });
        }

        private FailoverWorkflow workflowWithConfig() {
            ClusterConfig config = ConfigLoader.parseYaml(CONFIG_YAML, "test.yaml");
            return workflow(cluster -> FailoverContext.builder(() -> config).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());
        }

        private FailoverWorkflow workflowWithUnreadableConfig() {
            return workflow(cluster -> {
                throw new IllegalStateException("parameter /mha/" + cluster + "/config not found");
            });
        }

        private JsonNode checkConfiguration(String input) {
            return tree("{\"step\":\"CheckConfiguration\",\"execution\":\"arn:x\",\"input\":" + input + "}");
        }

        @Test
        void unknownStepIsRejectedNamingIt() {
            assertThatThrownBy(() -> workflowWithoutContext().handle(tree("{\"step\":\"FenceMaster\",\"execution\":\"arn:x\"}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unknown step 'FenceMaster' (known: CheckConfiguration, FenceDeadMaster");
        }

        @Test
        void requestWithoutStepOrExecutionIsRejectedNamingTheField() {
            assertThatThrownBy(() -> workflowWithoutContext().handle(tree("{\"step\":\"CheckConfiguration\",\"input\":{\"cluster\":\"app1\"}}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("step request: field 'execution' is required");
            assertThatThrownBy(() -> workflowWithoutContext().handle(tree("{\"execution\":\"arn:x\"}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("step request: field 'step' is required");
            assertThat(store.calls).isEmpty();
        }

        @Test
        void phaseStepWithAnUnreadableDocumentIsRejectedBeforeAnyServer() {
            JsonNode request = tree("{\"step\":\"FenceDeadMaster\",\"execution\":\"arn:x\",\"input\":{\"cluster\":\"app1\"},"
                    + "\"state\":{\"cluster\":\"app1\",\"bogus\":1}}");

            assertThatThrownBy(() -> workflowWithoutContext().handle(request))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed step request")
                    .hasMessageContaining("bogus");
        }

        @Test
        void documentRoundTripsThroughJsonBetweenSteps() {
            // a replica that is not a target is refused after the document is read back, before any context is needed
            FailoverState state = FailoverState.start("app1", "db1", null, false, 0)
                    .withPositions(List.of(position("db2"), position("db3")), List.of("db2"), List.of("db3"), "mysql-bin.000001:120")
                    .withNewMaster("db2", "the latest replica");
            ObjectNode request = JSON.valueToTree(new WorkflowDocument(REQUEST, state, List.of("db3"), List.of(), List.of(), null));
            request.put("step", "RecoverReplica").put("execution", "arn:x").put("replica", "db2");

            assertThatThrownBy(() -> workflowWithoutContext().handle(request))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("replica 'db2' is not one RecoverReplicas works on: [db3]");
        }

        @Test
        void aStepWhoseExecutionLostTheLockStopsBeforeAnyServer() {
            store.lockResult = false;
            FailoverState state = FailoverState.start("app1", "db1", null, false, 0);
            ObjectNode request = JSON.valueToTree(new WorkflowDocument(REQUEST, state, List.of(), List.of(), List.of(), null));
            request.put("step", "FenceDeadMaster").put("execution", "arn:late");

            assertThatThrownBy(() -> workflowWithoutContext().handle(request))
                    .isInstanceOf(LockLost.class)
                    .hasMessageContaining("no longer held by arn:late");
            assertThat(store.calls).containsExactly("lock app1 arn:late PT45M");
        }

        @Test
        void laterStepsDecideWithThePinnedConfigAndWarnWhenItWasEdited() {
            ClusterConfig started = ConfigLoader.parseYaml(CONFIG_YAML, "test.yaml");
            ClusterConfig edited = ConfigLoader.parseYaml(CONFIG_YAML.replace("port: 2", "port: 3")
                    .replace("password: admin", "password: rotated"), "test.yaml");
            FailoverWorkflow workflow = workflow(cluster -> FailoverContext.builder(() -> edited).build());
            WorkflowDocument doc = new WorkflowDocument(REQUEST, FailoverState.start("app1", "db1", null, false, 0), List.of(),
                    List.of(), List.of(), PinnedConfig.of(started));

            FailoverWorkflow.Step step = workflow.step(doc, "arn:x");

            assertThat(step.context().config().server("db2").orElseThrow().port()).as("the pinned server").isEqualTo(2);
            assertThat(step.context().config().credentials()).as("the accounts of now").isEqualTo(edited.credentials());
            assertThat(step.state().warnings()).singleElement().asString().contains("changed during the failover");
            assertThat(workflow.step(new WorkflowDocument(REQUEST, doc.state(), List.of(), List.of(), List.of(), PinnedConfig.of(edited)),
                    "arn:x").state().warnings()).as("unchanged: no warning").isEmpty();
        }

        @Test
        void keepWarmAnswersWithoutTouchingAnything() {
            JsonNode answer = workflowWithoutContext().handle(tree("{\"step\":\"KeepWarm\"}"));
            assertThat(answer.path("warm").asBoolean()).isTrue();
            assertThat(store.calls).isEmpty();
            assertThat(notifier.subjects).isEmpty();
        }

        @Test
        void badInputIsRejectedBeforeTheStateStoreIsTouched() {
            assertThatThrownBy(() -> workflowWithoutContext().handle(checkConfiguration("{\"cluster\":\"app1\",\"ignoreLastFailver\":true}")))
                    .isInstanceOf(InputRejected.class)
                    .hasMessageStartingWith("input field 'ignoreLastFailver' is unknown");
            assertThat(store.calls).isEmpty();
        }

        @Test
        void lockHeldByAnotherExecutionEndsTheStepWithoutReadingTheConfig() {
            store.lockResult = false;

            assertThatThrownBy(() -> workflowWithoutContext().handle(checkConfiguration("{\"cluster\":\"app1\"}")))
                    .isInstanceOf(FailoverAlreadyRunning.class)
                    .hasMessageStartingWith("failover already running for cluster app1");
            assertThat(store.calls).containsExactly("lock app1 arn:x PT45M");
        }

        @Test
        void unacknowledgedFailedFailoverRefusesBeforeAnyServerIsContacted() {
            store.last = Optional.of(new LastFailover("app1", "arn:earlier", NOW.minus(Duration.ofDays(2)), LastFailover.Status.ERROR,
                    false));

            assertThatThrownBy(() -> workflowWithConfig().handle(checkConfiguration("{\"cluster\":\"app1\"}")))
                    .isInstanceOf(FailoverRefused.class)
                    .hasMessageContaining("mha ack --cluster app1");
            // the lock stays: ReportRefusal releases it
            assertThat(store.calls).containsExactly("lock app1 arn:x PT45M", "lastFailover app1");
        }

        @Test
        void withoutARecordTheStepGoesOnToTheServers() {
            // the contrast that makes the refusals above meaningful: past the guard, the unreachable servers are met
            assertThatThrownBy(() -> workflowWithConfig().handle(checkConfiguration("{\"cluster\":\"app1\"}")))
                    .isInstanceOf(FailoverException.class)
                    .hasMessageContaining("no server is reachable");
            // the history names the previous failover's dead master, which may stay dead in the config
            assertThat(store.calls).containsExactly("lock app1 arn:x PT45M", "lastFailover app1", "history app1");
        }

        @Test
        void recentCompletedFailoverRefusesUsingTheConfigsWindowAndTheContextsClock() {
            store.last = Optional.of(new LastFailover("app1", "arn:earlier", NOW.minus(Duration.ofMinutes(30)),
                    LastFailover.Status.COMPLETED, false));

            assertThatThrownBy(() -> workflowWithConfig().handle(checkConfiguration("{\"cluster\":\"app1\"}")))
                    .isInstanceOf(FailoverRefused.class)
                    .hasMessageContaining("completed 30 minutes ago")
                    .hasMessageContaining("lastFailoverMinutes=60");
        }

        /**
         * A controller killed anywhere in the report step must leave progress behind (the next run
         * repeats the step): the history, the lock, the report, and only then the progress goes.
         */
        @Test
        void theReportRecordsThenUnlocksThenPublishesAndOnlyThenForgetsTheProgress() {
            Notifier inOrder = (subject, text, json) -> store.calls.add("publish");
            ClusterConfig config = ConfigLoader.parseYaml(CONFIG_YAML, "test.yaml");
            FailoverWorkflow workflow = new FailoverWorkflow(new FakeRuntime(store, inOrder,
                    cluster -> FailoverContext.builder(() -> config).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()));
            JsonNode request = tree("{\"step\":\"Report\",\"execution\":\"arn:x\",\"input\":{\"cluster\":\"app1\","
                    + "\"mode\":\"FAILOVER\"},\"state\":{\"cluster\":\"app1\",\"deadMaster\":\"db1\",\"newMaster\":\"db2\","
                    + "\"startedAtMillis\":0}}");

            JsonNode out = workflow.handle(request);

            assertThat(out.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(store.calls).containsExactly("record app1 arn:x", "unlock app1 arn:x", "publish", "clearProgress app1 arn:x");
        }

        @Test
        void reportRefusalReleasesTheLockRecordsNothingAndPublishesOnce() {
            String error = "{\"Error\":\"" + FAILOVER_EXCEPTION + "\",\"Cause\":\"{\\\"errorMessage\\\":\\\"the master db1 is alive\\\","
                    + "\\\"errorType\\\":\\\"" + FAILOVER_EXCEPTION + "\\\"}\"}";
            JsonNode request = tree("{\"step\":\"ReportRefusal\",\"execution\":\"arn:x\",\"input\":{\"cluster\":\"app1\","
                    + "\"deadMaster\":\"db1\",\"error\":" + error + "},\"error\":" + error + "}");

            JsonNode out = workflowWithConfig().handle(request);

            assertThat(out.path("cluster").asText()).isEqualTo("app1");
            assertThat(out.path("outcome").asText()).isEqualTo("refused");
            assertThat(out.path("failedPhase").asText()).isEqualTo("CheckConfiguration");
            assertThat(out.path("summary").asText()).isEqualTo("the master db1 is alive (" + FAILOVER_EXCEPTION + ")");
            assertThat(store.calls).containsExactly("unlock app1 arn:x");
            assertThat(notifier.subjects).singleElement().satisfies(subject -> {
                assertThat(subject).endsWith("refused");
                assertThat(subject.length()).isLessThanOrEqualTo(99);
            });
            assertThat(notifier.texts.get(0)).contains("the master db1 is alive").contains("nothing was changed");
        }

        @Test
        void reportRefusalStillReportsWhenTheConfigCannotBeRead() {
            JsonNode request = tree("{\"step\":\"ReportRefusal\",\"execution\":\"arn:x\",\"input\":{\"cluster\":\"app1\","
                    + "\"error\":{\"Error\":\"io.mhaserverless.core.config.ConfigException\",\"Cause\":\"no such parameter\"}},"
                    + "\"error\":{\"Error\":\"io.mhaserverless.core.config.ConfigException\",\"Cause\":\"no such parameter\"}}");

            JsonNode out = workflowWithUnreadableConfig().handle(request);

            assertThat(out.path("outcome").asText()).isEqualTo("refused");
            assertThat(out.path("summary").asText()).isEqualTo("no such parameter (io.mhaserverless.core.config.ConfigException)");
            assertThat(store.calls).containsExactly("unlock app1 arn:x");
            assertThat(notifier.subjects).hasSize(1);
        }

        @Test
        void subjectOfARefusalStaysWithinSnsLimitForLongNames() {
            String longName = "a".repeat(63);
            JsonNode request = tree("{\"step\":\"ReportRefusal\",\"execution\":\"arn:x\",\"input\":{\"cluster\":\"" + longName
                    + "\",\"deadMaster\":\"" + longName + "\",\"error\":{\"Error\":\"States.Timeout\"}},"
                    + "\"error\":{\"Error\":\"States.Timeout\"}}");

            workflowWithUnreadableConfig().handle(request);

            assertThat(notifier.subjects).singleElement().satisfies(s -> assertThat(s.length()).isLessThanOrEqualTo(99));
        }

        private static ReplicaPosition position(String name) {
            return new ReplicaPosition(name, "mysql-bin.000001", 120, "mysql-bin.000001", 120, "", "", false, false, true,
                    "/var/lib/mysql/relay.index", true, "", 0);
        }
    }

    private record FakeRuntime(StateStore stateStore, Notifier notifier, Function<String, FailoverContext> contexts)
            implements WorkflowRuntime {
        @Override
        public FailoverContext context(String cluster) {
            return contexts.apply(cluster);
        }

        @Override
        public Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    /** Records each call as one line; answers lock and lastFailover as set. */
    private static final class RecordingStateStore implements StateStore {
        final List<String> calls = new ArrayList<>();
        boolean lockResult = true;
        Optional<LastFailover> last = Optional.empty();

        @Override
        public boolean lock(String cluster, String owner, Duration ttl) {
            calls.add("lock " + cluster + " " + owner + " " + ttl);
            return lockResult;
        }

        @Override
        public void unlock(String cluster, String owner) {
            calls.add("unlock " + cluster + " " + owner);
        }

        @Override
        public Optional<String> lockOwner(String cluster) {
            return Optional.empty();
        }

        @Override
        public Optional<LastFailover> lastFailover(String cluster) {
            calls.add("lastFailover " + cluster);
            return last;
        }

        @Override
        public void record(FailoverRecord record) {
            calls.add("record " + record.cluster() + " " + record.executionId());
        }

        @Override
        public void recordSwitchover(FailoverRecord record) {
            calls.add("recordSwitchover " + record.cluster() + " " + record.executionId());
        }

        @Override
        public void acknowledge(String cluster, String operator) {
            calls.add("acknowledge " + cluster);
        }

        @Override
        public List<FailoverRecord> history(String cluster, int limit) {
            calls.add("history " + cluster);
            return List.of();
        }

        @Override
        public void saveProgress(Progress progress) {
            calls.add("saveProgress " + progress.cluster() + " " + progress.executionId() + " " + progress.completedState());
        }

        @Override
        public Optional<Progress> progress(String cluster) {
            calls.add("progress " + cluster);
            return Optional.empty();
        }

        @Override
        public void clearProgress(String cluster, String executionId) {
            calls.add("clearProgress " + cluster + " " + executionId);
        }

        @Override
        public boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen) {
            throw new UnsupportedOperationException("a failover never probes");
        }

        @Override
        public void releaseProbeLease(String cluster, String owner) {
            throw new UnsupportedOperationException("a failover never probes");
        }

        @Override
        public Optional<ProbeStatus> probeStatus(String cluster) {
            throw new UnsupportedOperationException("a failover never probes");
        }
    }

    private static final class RecordingNotifier implements Notifier {
        final List<String> subjects = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        @Override
        public void publish(String subject, String text, String json) {
            subjects.add(subject);
            texts.add(text);
        }
    }
}
