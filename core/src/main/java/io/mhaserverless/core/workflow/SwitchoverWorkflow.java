package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.switchover.CheckSwitchover;
import io.mhaserverless.core.switchover.OrigMasterAsReplica;
import io.mhaserverless.core.switchover.RepointReplicas;
import io.mhaserverless.core.switchover.SwitchMaster;
import io.mhaserverless.core.switchover.SwitchoverCleanup;
import io.mhaserverless.core.switchover.SwitchoverPhase;
import io.mhaserverless.core.switchover.SwitchoverReport;
import io.mhaserverless.core.switchover.SwitchoverRolledBack;
import io.mhaserverless.core.switchover.SwitchoverState;
import io.mhaserverless.core.switchover.SwitchoverStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The switchover branch of statemachine/asl.json, one call per Task state, beside the failover's
 * steps in {@link FailoverWorkflow} and sharing what both need: the cluster's lock (taken by the
 * first state, re-taken by every later one), the pinned configuration, the progress saved after
 * each state, and the report states. A switchover is recorded in the history only, so it never
 * holds back the automatic failover of a master that dies later.
 */
final class SwitchoverWorkflow {

    /** The Task states of the switchover branch. */
    static final List<String> STEPS = List.of(SwitchoverStep.CHECK_SWITCHOVER.stateName(), SwitchoverStep.SWITCH_MASTER.stateName(),
            SwitchoverStep.REPOINT_REPLICA, SwitchoverStep.SWITCHOVER_CLEANUP.stateName(),
            SwitchoverStep.ORIG_MASTER_AS_REPLICA.stateName());
    /** asl.json's report states serve both modes; the document's input says which. */
    private static final Set<String> REPORTS = Set.of("Report", "ReportFailure", "ReportRefusal");

    private final WorkflowRuntime runtime;
    private final FailoverWorkflow shared;
    private final RepointReplicas repointReplicas = new RepointReplicas();

    SwitchoverWorkflow(WorkflowRuntime runtime, FailoverWorkflow shared) {
        this.runtime = runtime;
        this.shared = shared;
    }

    static boolean handles(String step, JsonNode request) {
        if (STEPS.contains(step)) {
            return true;
        }
        return REPORTS.contains(step) && request.path("input").path("mode").asText("").equalsIgnoreCase("switchover");
    }

    JsonNode handle(String step, String execution, JsonNode request) {
        return switch (step) {
            case "CheckSwitchover" -> saved(step, execution, check(request.get("input"), execution));
            case "SwitchMaster" -> saved(step, execution, phase(document(request), execution, new SwitchMaster()));
            case "RepointReplica" -> FailoverWorkflow.json().valueToTree(repoint(document(request), execution,
                    FailoverWorkflow.text(request, "replica")));
            case "SwitchoverCleanup" -> saved(step, execution, cleanup(document(request), execution));
            case "OrigMasterAsReplica" -> saved(step, execution, phase(document(request), execution, new OrigMasterAsReplica()));
            case "Report" -> FailoverWorkflow.json().valueToTree(report(document(request), execution));
            case "ReportFailure" -> FailoverWorkflow.json().valueToTree(reportFailure(document(request), execution,
                    request.get("error")));
            case "ReportRefusal" -> FailoverWorkflow.json().valueToTree(reportRefusal(request, execution));
            default -> throw new IllegalArgumentException("unknown switchover step '" + step + "'");
        };
    }

    private JsonNode saved(String completedState, String execution, SwitchoverDocument doc) {
        return shared.saved(completedState, execution, doc.input().cluster(), doc);
    }

    /**
     * The first state: validate the input, take the cluster's lock, refuse after an unacknowledged
     * failed failover, then CheckSwitchover itself, which changes nothing on any server.
     */
    SwitchoverDocument check(JsonNode rawInput, String execution) {
        FailoverRequest input = FailoverRequest.parse(rawInput);
        if (!input.switchover()) {
            throw new InputRejected("input field 'mode': CheckSwitchover starts a switchover, the input asks for a failover");
        }
        StateStore store = runtime.stateStore();
        if (!store.lock(input.cluster(), execution, runtime.lockTtl())) {
            throw new FailoverAlreadyRunning("a failover or switchover is already running for cluster " + input.cluster()
                    + ": another execution holds its lock; this one changed nothing");
        }
        FailoverContext context = runtime.context(input.cluster());
        ClusterConfig config = context.config();
        LastFailoverGuard.checkBeforeSwitchover(store.lastFailover(input.cluster()), execution, input.ignoreLastFailover());
        SwitchoverState start = SwitchoverState.start(input.cluster(), input.newMaster(), input.origMasterIsNewSlave(),
                input.runningUpdatesLimit(), input.force(), runtime.clock().millis());
        SwitchoverState checked = new CheckSwitchover().run(start, context.withConfig(config));
        return next(input, checked, List.of(), PinnedConfig.of(config));
    }

    SwitchoverDocument phase(SwitchoverDocument doc, String execution, SwitchoverPhase phase) {
        Step step = step(doc, execution);
        return next(doc.input(), phase.run(step.state(), step.context()), doc.recovered(), doc.config());
    }

    ReplicaOutcome repoint(SwitchoverDocument doc, String execution, String replica) {
        if (!doc.state().otherReplicas().contains(replica)) {
            throw new IllegalArgumentException("replica '" + replica + "' is not one RepointReplicas works on: "
                    + doc.state().otherReplicas());
        }
        Step step = step(doc, execution);
        return repointReplicas.repoint(step.state(), step.context(), replica);
    }

    /** The Map's outcomes become the state's and RepointReplicas is recorded, then SwitchoverCleanup runs. */
    SwitchoverDocument cleanup(SwitchoverDocument doc, String execution) {
        Step step = step(doc, execution);
        SwitchoverState state = step.state().withOutcomes(doc.recovered());
        long mapStarted = state.phases().stream().mapToLong(p -> p.startedAtMillis() + p.millis()).max().orElse(state.startedAtMillis());
        state = state.withPhase(new PhaseRecord(SwitchoverStep.REPOINT_REPLICAS.stateName(), mapStarted,
                Math.max(0, step.context().clock().millis() - mapStarted), ""));
        state = new SwitchoverCleanup().run(state, step.context());
        return next(doc.input(), state, doc.recovered(), doc.config());
    }

    private record Step(FailoverContext context, SwitchoverState state) {
    }

    private Step step(SwitchoverDocument doc, String execution) {
        FailoverWorkflow.Pinned pinned = shared.pinned(doc.input().cluster(), doc.config(), execution);
        SwitchoverState state = doc.state();
        if (pinned.configChanged()) {
            state = state.withWarning("the configuration of cluster " + doc.input().cluster() + " changed during the switchover;"
                    + " it went on with the configuration CheckSwitchover read");
        }
        return new Step(pinned.context(), state);
    }

    /** Success: the history record (never the last-failover record), the lock released, one report. */
    SwitchoverResult report(SwitchoverDocument doc, String execution) {
        SwitchoverState state = doc.state();
        boolean allOk = state.outcomes().stream().allMatch(ReplicaOutcome::ok)
                && (state.origMasterOutcome() == null || state.origMasterOutcome().ok());
        FailoverOutcome outcome = allOk ? FailoverOutcome.SUCCEEDED : FailoverOutcome.PARTIAL;
        FailoverReport report = SwitchoverReport.of(state, config(doc), outcome, null, null, false);
        return finish(state, execution, outcome, null, false, report, report.subject());
    }

    /**
     * A step failed. Before the new master took writes SwitchMaster has rolled everything back and
     * the report says nothing was changed; after, the report names the step, and the servers it
     * touches need a look. Either way the history keeps it and the lock goes.
     */
    SwitchoverResult reportFailure(SwitchoverDocument doc, String execution, JsonNode error) {
        SwitchoverState state = doc.state();
        String failedPhase = failedPhase(doc);
        String message = FailoverWorkflow.errorMessage(error);
        boolean rolledBack = error != null && error.path("Error").asText("").equals(SwitchoverRolledBack.class.getName());
        FailoverReport report = SwitchoverReport.of(state, config(doc), FailoverOutcome.FAILED, failedPhase, message, rolledBack);
        return finish(state, execution, FailoverOutcome.FAILED, failedPhase, rolledBack, report, failedPhase + ": " + message);
    }

    /** CheckSwitchover refused: nothing was changed, so nothing is recorded; the lock goes and the refusal is reported. */
    SwitchoverResult reportRefusal(JsonNode request, String execution) {
        ObjectNode raw = request.get("input").deepCopy();
        raw.remove("error");
        FailoverRequest input = FailoverRequest.parse(raw);
        String message = FailoverWorkflow.errorMessage(request.get("error"));
        SwitchoverState state = SwitchoverState.start(input.cluster(), input.newMaster(), input.origMasterIsNewSlave(),
                input.runningUpdatesLimit() == null ? FailoverRequest.DEFAULT_RUNNING_UPDATES_LIMIT : input.runningUpdatesLimit(),
                input.force(), runtime.clock().millis());
        String failedPhase = SwitchoverStep.CHECK_SWITCHOVER.stateName();
        FailoverReport report = SwitchoverReport.of(state, shared.configIfReadable(input.cluster()).orElse(null),
                FailoverOutcome.REFUSED, failedPhase, message, false);
        runtime.stateStore().unlock(input.cluster(), execution);
        runtime.notifier().publish(report.subject(), report.text(), report.json());
        return result(state, FailoverOutcome.REFUSED, failedPhase, false, report, message);
    }

    /**
     * History, then unlock, then publish, then the progress cleared (as a failover's: a controller
     * killed in between leaves progress, so the report is not lost). Unlike a failover's, a failed
     * switchover keeps no progress to resume: before the point of no return it was rolled back, after
     * it an operator decides, and a rerun starts with fresh checks.
     */
    private SwitchoverResult finish(SwitchoverState state, String execution, FailoverOutcome outcome, String failedPhase,
                                    boolean rolledBack, FailoverReport report, String summary) {
        StateStore store = runtime.stateStore();
        Instant now = runtime.clock().instant();
        store.recordSwitchover(new StateStore.FailoverRecord(state.cluster(), execution, Instant.ofEpochMilli(state.startedAtMillis()),
                now, outcome.label(), state.origMaster(), state.newMaster(), report.json()));
        store.unlock(state.cluster(), execution);
        runtime.notifier().publish(report.subject(), report.text(), report.json());
        store.clearProgress(state.cluster(), execution);
        return result(state, outcome, failedPhase, rolledBack, report, summary);
    }

    private static SwitchoverResult result(SwitchoverState state, FailoverOutcome outcome, String failedPhase, boolean rolledBack,
                                           FailoverReport report, String summary) {
        try {
            return new SwitchoverResult(state.cluster(), "switchover", outcome, state.origMaster(), state.newMaster(), failedPhase,
                    rolledBack, state.writeBlock() == null ? null : state.writeBlock().millis(), summary,
                    FailoverWorkflow.json().readTree(report.json()), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The step after the last that completed; the Map's outcomes present but not recorded mean SwitchoverCleanup stopped. */
    static String failedPhase(SwitchoverDocument doc) {
        SwitchoverState state = doc.state();
        if (!doc.recovered().isEmpty() && !state.completed(SwitchoverStep.REPOINT_REPLICAS)) {
            return SwitchoverStep.SWITCHOVER_CLEANUP.stateName();
        }
        return Arrays.stream(SwitchoverStep.values())
                .filter(s -> s != SwitchoverStep.ORIG_MASTER_AS_REPLICA || state.origMasterIsNewSlave())
                .filter(s -> !state.completed(s)).map(SwitchoverStep::stateName).findFirst().orElse("Report");
    }

    private Optional<ClusterConfig> configOf(SwitchoverDocument doc) {
        return shared.reportConfig(doc.config(), doc.input().cluster());
    }

    private ClusterConfig config(SwitchoverDocument doc) {
        return configOf(doc).orElse(null);
    }

    private static SwitchoverDocument next(FailoverRequest input, SwitchoverState state, List<ReplicaOutcome> recovered,
                                           PinnedConfig config) {
        return new SwitchoverDocument(input, state, state.otherReplicas(), List.of(), recovered, config);
    }

    private static SwitchoverDocument document(JsonNode request) {
        ObjectNode doc = FailoverWorkflow.json().createObjectNode();
        for (String field : List.of("input", "state", "replicas", "applied", "recovered", "config")) {
            if (request.hasNonNull(field)) {
                doc.set(field, request.get(field));
            }
        }
        try {
            return FailoverWorkflow.json().treeToValue(doc, SwitchoverDocument.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed step request: " + e.getOriginalMessage(), e);
        }
    }
}
