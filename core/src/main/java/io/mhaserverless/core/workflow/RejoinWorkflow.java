package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.rejoin.CheckRejoin;
import io.mhaserverless.core.rejoin.RejoinAsReplica;
import io.mhaserverless.core.rejoin.RejoinReport;
import io.mhaserverless.core.rejoin.RejoinState;
import io.mhaserverless.core.rejoin.RejoinStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The rejoin branch of statemachine/asl.json (the old master's way back), beside the failover's and
 * the switchover's steps and sharing the cluster's lock, the pinned configuration, the progress
 * saved after each state, the history and the report states. A rejoin goes into the history only.
 */
final class RejoinWorkflow {

    static final List<String> STEPS = List.of(RejoinStep.CHECK_REJOIN.stateName(), RejoinStep.REJOIN_AS_REPLICA.stateName());
    private static final Set<String> REPORTS = Set.of("Report", "ReportFailure", "ReportRefusal");
    private static final int HISTORY = 50;

    private final WorkflowRuntime runtime;
    private final FailoverWorkflow shared;

    RejoinWorkflow(WorkflowRuntime runtime, FailoverWorkflow shared) {
        this.runtime = runtime;
        this.shared = shared;
    }

    static boolean handles(String step, JsonNode request) {
        if (STEPS.contains(step)) {
            return true;
        }
        return REPORTS.contains(step) && request.path("input").path("mode").asText("").equalsIgnoreCase("rejoin");
    }

    JsonNode handle(String step, String execution, JsonNode request) {
        return switch (step) {
            case "CheckRejoin" -> saved(step, execution, check(request.get("input"), execution));
            case "RejoinAsReplica" -> saved(step, execution, rejoin(document(request), execution));
            case "Report" -> FailoverWorkflow.json().valueToTree(report(document(request), execution));
            case "ReportFailure" -> FailoverWorkflow.json().valueToTree(reportFailure(document(request), execution,
                    request.get("error")));
            case "ReportRefusal" -> FailoverWorkflow.json().valueToTree(reportRefusal(request, execution));
            default -> throw new IllegalArgumentException("unknown rejoin step '" + step + "'");
        };
    }

    private JsonNode saved(String completedState, String execution, RejoinDocument doc) {
        return shared.saved(completedState, execution, doc.input().cluster(), doc);
    }

    /** The first state: validate the input, take the cluster's lock, then CheckRejoin, which changes nothing. */
    RejoinDocument check(JsonNode rawInput, String execution) {
        FailoverRequest input = FailoverRequest.parse(rawInput);
        if (!input.rejoin()) {
            throw new InputRejected("input field 'mode': CheckRejoin starts a rejoin, the input asks for a "
                    + input.mode().name().toLowerCase(java.util.Locale.ROOT));
        }
        StateStore store = runtime.stateStore();
        if (!store.lock(input.cluster(), execution, runtime.lockTtl())) {
            throw new FailoverAlreadyRunning("a failover, switchover or rejoin is already running for cluster " + input.cluster()
                    + ": another execution holds its lock; this one changed nothing");
        }
        FailoverContext context = runtime.context(input.cluster());
        ClusterConfig config = context.config();
        LastFailoverGuard.checkBefore("rejoin", store.lastFailover(input.cluster()), execution, input.ignoreLastFailover());
        RejoinState start = RejoinState.start(input.cluster(), input.server(), runtime.clock().millis());
        RejoinState checked = new CheckRejoin(store.history(input.cluster(), HISTORY)).run(start, context.withConfig(config));
        return new RejoinDocument(input, checked, List.of(), List.of(), List.of(), PinnedConfig.of(config));
    }

    RejoinDocument rejoin(RejoinDocument doc, String execution) {
        FailoverWorkflow.Pinned pinned = shared.pinned(doc.input().cluster(), doc.config(), execution);
        RejoinState state = doc.state();
        if (pinned.configChanged()) {
            state = state.withWarning("the configuration of cluster " + doc.input().cluster() + " changed during the rejoin;"
                    + " it went on with the configuration CheckRejoin read");
        }
        RejoinState done = new RejoinAsReplica().run(state, pinned.context());
        return new RejoinDocument(doc.input(), done, List.of(), List.of(), List.of(), doc.config());
    }

    RejoinResult report(RejoinDocument doc, String execution) {
        FailoverReport report = RejoinReport.of(doc.state(), config(doc), FailoverOutcome.SUCCEEDED, null, null);
        return finish(doc.state(), execution, FailoverOutcome.SUCCEEDED, null, report, report.subject());
    }

    RejoinResult reportFailure(RejoinDocument doc, String execution, JsonNode error) {
        String message = FailoverWorkflow.errorMessage(error);
        String failedPhase = doc.state().phases().stream().anyMatch(p -> p.phase().equals(RejoinStep.CHECK_REJOIN.stateName()))
                ? RejoinStep.REJOIN_AS_REPLICA.stateName() : RejoinStep.CHECK_REJOIN.stateName();
        FailoverReport report = RejoinReport.of(doc.state(), config(doc), FailoverOutcome.FAILED, failedPhase, message);
        return finish(doc.state(), execution, FailoverOutcome.FAILED, failedPhase, report, failedPhase + ": " + message);
    }

    /** CheckRejoin refused: nothing was changed; the refusal is kept in the history too, as the report that names what diverged. */
    RejoinResult reportRefusal(JsonNode request, String execution) {
        ObjectNode raw = request.get("input").deepCopy();
        raw.remove("error");
        FailoverRequest input = FailoverRequest.parse(raw);
        String message = FailoverWorkflow.errorMessage(request.get("error"));
        RejoinState state = RejoinState.start(input.cluster(), input.server(), runtime.clock().millis());
        String failedPhase = RejoinStep.CHECK_REJOIN.stateName();
        FailoverReport report = RejoinReport.of(state, shared.configIfReadable(input.cluster()).orElse(null), FailoverOutcome.REFUSED,
                failedPhase, message);
        return finish(state, execution, FailoverOutcome.REFUSED, failedPhase, report, message);
    }

    /** History (never the last-failover record), then progress cleared and unlock, then publish. */
    private RejoinResult finish(RejoinState state, String execution, FailoverOutcome outcome, String failedPhase,
                                FailoverReport report, String summary) {
        StateStore store = runtime.stateStore();
        Instant now = runtime.clock().instant();
        store.recordSwitchover(new StateStore.FailoverRecord(state.cluster(), execution, Instant.ofEpochMilli(state.startedAtMillis()),
                now, outcome.label(), state.server(), state.master(), report.json()));
        store.clearProgress(state.cluster(), execution);
        store.unlock(state.cluster(), execution);
        runtime.notifier().publish(report.subject(), report.text(), report.json());
        try {
            return new RejoinResult(state.cluster(), "rejoin", outcome, state.server(), state.master(), failedPhase, summary,
                    FailoverWorkflow.json().readTree(report.json()), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ClusterConfig config(RejoinDocument doc) {
        return shared.reportConfig(doc.config(), doc.input().cluster()).orElse(null);
    }

    private static RejoinDocument document(JsonNode request) {
        ObjectNode doc = FailoverWorkflow.json().createObjectNode();
        for (String field : List.of("input", "state", "replicas", "applied", "recovered", "config")) {
            if (request.hasNonNull(field)) {
                doc.set(field, request.get(field));
            }
        }
        try {
            return FailoverWorkflow.json().treeToValue(doc, RejoinDocument.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed step request: " + e.getOriginalMessage(), e);
        }
    }
}
