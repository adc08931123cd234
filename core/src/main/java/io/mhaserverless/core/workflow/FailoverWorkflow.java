package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.failover.Phase;
import io.mhaserverless.core.failover.PhaseName;
import io.mhaserverless.core.failover.Phases;
import io.mhaserverless.core.failover.RecoverReplicas;
import io.mhaserverless.core.port.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The steps of statemachine/asl.json, one call per Task state: the JSON a Task sends in, the JSON
 * it gets back. The Lambda handler and the local runtime are thin wrappers around this class, so
 * the console, the local demo and the tests run the same code between the same states.
 *
 * <p>A step request is {@code {"step": <Task state>, "execution": <execution ARN>, "input": …,
 * "state": …, …}} (the {@link WorkflowDocument} plus the step's own fields); phases answer with the
 * next document, per-replica steps with a {@link ReplicaOutcome}, report steps with a
 * {@link WorkflowResult}. Exceptions propagate: their class names are the error names the state
 * machine's Retry and Catch match.
 */
public final class FailoverWorkflow {

    /** Phases between the first and the Map: each maps the document's state through the core phase of that name. */
    public static final List<PhaseName> PHASE_STEPS = List.of(PhaseName.FENCE_DEAD_MASTER, PhaseName.FIND_LATEST_REPLICAS,
            PhaseName.SAVE_DEAD_MASTER_BINLOG, PhaseName.SELECT_NEW_MASTER, PhaseName.RECOVER_NEW_MASTER, PhaseName.MOVE_WRITER_IP);
    /** Every step a Task state may name. */
    public static final List<String> STEPS = List.of("CheckConfiguration", "FenceDeadMaster", "FindLatestReplicas",
            "SaveDeadMasterBinlog", "SelectNewMaster", "RecoverNewMaster", "MoveWriterIp", "ApplyRelayLogDiff",
            "RecoverReplica", "Cleanup", "Report", "ReportFailure", "ReportRefusal", "CheckSwitchover", "SwitchMaster",
            "RepointReplica", "SwitchoverCleanup", "OrigMasterAsReplica", "CheckRejoin", "RejoinAsReplica");

    /**
     * Not a state of asl.json: the daily invocation that keeps an idle function's SnapStart snapshot
     * and VPC network interface alive, so that the first failover after quiet weeks does not meet
     * SnapStartNotReadyException or an Inactive function. It reads and touches nothing.
     */
    public static final String KEEP_WARM = "KeepWarm";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final WorkflowRuntime runtime;
    private final RecoverReplicas recoverReplicas = new RecoverReplicas();
    private final SwitchoverWorkflow switchover;
    private final RejoinWorkflow rejoin;

    public FailoverWorkflow(WorkflowRuntime runtime) {
        this.runtime = runtime;
        this.switchover = new SwitchoverWorkflow(runtime, this);
        this.rejoin = new RejoinWorkflow(runtime, this);
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** One Task state's work, bounded only by the payload's {@code taskTimeoutSeconds}. */
    public JsonNode handle(JsonNode request) {
        return handle(request, Deadline.NONE);
    }

    /**
     * One Task state's work within {@code invocation} (Lambda: the time the invocation has left) and
     * the payload's {@code taskTimeoutSeconds} (the Task's TimeoutSeconds), less {@link Deadline#MARGIN}.
     */
    public JsonNode handle(JsonNode request, Deadline invocation) {
        Deadline deadline = invocation.min(taskDeadline(request));
        if (deadline.bounded() && request != null && !KEEP_WARM.equals(request.path("step").asText())) {
            return new FailoverWorkflow(runtime.within(deadline)).step(request);
        }
        return step(request);
    }

    /** The payload's per-state budget (asl.json puts each Task's TimeoutSeconds there; AslTaskTimeoutsTest). */
    static Deadline taskDeadline(JsonNode request) {
        JsonNode seconds = request == null ? null : request.get("taskTimeoutSeconds");
        if (seconds == null || !seconds.canConvertToLong() || seconds.asLong() <= 0) {
            return Deadline.NONE;
        }
        return Deadline.withMargin(java.time.Duration.ofSeconds(seconds.asLong()));
    }

    private JsonNode step(JsonNode request) {
        if (request != null && KEEP_WARM.equals(request.path("step").asText())) {
            return JSON.createObjectNode().put("warm", true);
        }
        if (ExecutionEnded.isEvent(request)) {
            // the uncaught-end rule's event (infra/cdk UncaughtEndRule), delivered to the same function
            return new ExecutionEnded(runtime, this).handle(request);
        }
        String step = text(request, "step");
        String execution = text(request, "execution");
        if (SwitchoverWorkflow.handles(step, request)) {
            return switchover.handle(step, execution, request);
        }
        if (RejoinWorkflow.handles(step, request)) {
            return rejoin.handle(step, execution, request);
        }
        return switch (step) {
            case "CheckConfiguration" -> saved(step, execution, checkConfiguration(request.get("input"), execution));
            case "ApplyRelayLogDiff" -> JSON.valueToTree(applyRelayLogDiffs(document(request), execution, text(request, "replica")));
            case "RecoverReplica" -> JSON.valueToTree(recoverReplica(document(request), execution, text(request, "replica")));
            case "Cleanup" -> saved(step, execution, cleanup(document(request), execution));
            case "Report" -> JSON.valueToTree(report(document(request), execution));
            case "ReportFailure" -> JSON.valueToTree(reportFailure(document(request), execution, request.get("error")));
            case "ReportRefusal" -> JSON.valueToTree(reportRefusal(request, execution));
            default -> {
                PhaseName phase = PhaseName.ofStateName(step).filter(PHASE_STEPS::contains).orElseThrow(() ->
                        new IllegalArgumentException("unknown step '" + step + "' (known: " + String.join(", ", STEPS) + ")"));
                yield saved(step, execution, phase(document(request), execution, Phases.of(phase)));
            }
        };
    }

    /**
     * Keeps the document a phase left in the state store before answering: if the controller dies
     * now, the failover is resumed after this state, never started over (per-replica Map steps
     * save nothing: a resumed failover runs the whole Map again, which is safe).
     */
    private JsonNode saved(String completedState, String execution, WorkflowDocument doc) {
        return saved(completedState, execution, doc.input().cluster(), doc);
    }

    /** Any execution document, a failover's or a switchover's, saved as the progress of {@code cluster}. */
    JsonNode saved(String completedState, String execution, String cluster, Object doc) {
        JsonNode tree = JSON.valueToTree(doc);
        runtime.stateStore().saveProgress(new StateStore.Progress(cluster, execution, completedState, tree.toString(),
                runtime.clock().instant()));
        return tree;
    }

    /**
     * The first state: validate the input, take the cluster's lock, apply the last-failover guard,
     * then CheckConfiguration itself. The lock comes before the guard so that two executions
     * started together cannot both pass it.
     */
    WorkflowDocument checkConfiguration(JsonNode rawInput, String execution) {
        FailoverRequest input = FailoverRequest.parse(rawInput);
        if (input.switchover() || input.rejoin()) {
            // asl.json's Mode choice sends exactly "switchover" / "rejoin" to their branches; any other spelling lands here
            throw new InputRejected("input field 'mode': write \"" + (input.rejoin() ? "rejoin" : "switchover") + "\" in lower"
                    + " case; the state machine branches on it exactly, got " + rawInput.get("mode"));
        }
        StateStore store = runtime.stateStore();
        if (!store.lock(input.cluster(), execution, runtime.lockTtl())) {
            throw new FailoverAlreadyRunning("failover already running for cluster " + input.cluster()
                    + ": another execution holds its failover lock; this one changed nothing");
        }
        FailoverContext context = runtime.context(input.cluster());
        ClusterConfig config = context.config();
        LastFailoverGuard.check(store.lastFailover(input.cluster()), execution, config.lastFailoverMinutes(),
                input.ignoreLastFailover(), runtime.clock().instant());
        FailoverState start = FailoverState.start(input.cluster(), input.deadMaster(), input.newMaster(), input.force(),
                runtime.clock().millis());
        if (input.lastSeenMasterBinlog() != null) {
            start = start.withLastSeenMasterBinlog(input.lastSeenMasterBinlog());
        }
        start = start.withFormerMaster(formerMaster(store, input.cluster()));
        PinnedConfig pinned = PinnedConfig.of(config);
        FailoverContext withPinned = context.withConfig(config);
        return next(input, Phases.of(PhaseName.CHECK_CONFIGURATION).run(start, withPinned), List.of(), List.of(), pinned);
    }

    /** The dead master of the cluster's most recent failover (a switchover's old master is not dead, a rejoin no failover), if any. */
    static String formerMaster(StateStore store, String cluster) {
        for (StateStore.FailoverRecord r : store.history(cluster, 10)) {
            boolean notFailover;
            try {
                String mode = JSON.readTree(r.reportJson() == null ? "{}" : r.reportJson()).path("mode").asText();
                notFailover = "switchover".equals(mode) || "rejoin".equals(mode);
            } catch (IOException unreadable) {
                notFailover = false;
            }
            if (!notFailover) {
                return r.deadMaster();
            }
        }
        return null;
    }

    WorkflowDocument phase(WorkflowDocument doc, String execution, Phase phase) {
        Step step = step(doc, execution);
        return next(doc.input(), phase.run(step.state(), step.context()), doc.applied(), doc.recovered(), doc.config());
    }

    ReplicaOutcome applyRelayLogDiffs(WorkflowDocument doc, String execution, String replica) {
        requireTarget(doc, replica);
        Step step = step(doc, execution);
        return recoverReplicas.applyDiffs(step.state(), step.context(), replica);
    }

    ReplicaOutcome recoverReplica(WorkflowDocument doc, String execution, String replica) {
        requireTarget(doc, replica);
        Optional<ReplicaOutcome> firstPass = doc.applied().stream().filter(o -> o.name().equals(replica)).findFirst();
        Step step = step(doc, execution);
        return recoverReplicas.recover(step.state(), step.context(), replica, firstPass);
    }

    /** The Map's outcomes become the state's, RecoverReplicas is recorded as a phase, then Cleanup runs. */
    WorkflowDocument cleanup(WorkflowDocument doc, String execution) {
        Step step = step(doc, execution);
        FailoverContext context = step.context();
        FailoverState state = step.state().withOutcomes(doc.recovered());
        long mapStarted = state.phases().stream().mapToLong(p -> p.startedAtMillis() + p.millis()).max().orElse(state.startedAtMillis());
        state = state.withPhase(new FailoverState.PhaseRecord(PhaseName.RECOVER_REPLICAS.stateName(), mapStarted,
                Math.max(0, context.clock().millis() - mapStarted), ""));
        state = Phases.of(PhaseName.CLEANUP).run(state, context);
        return next(doc.input(), state, doc.applied(), doc.recovered(), doc.config());
    }

    /** What a step after the first works with: the pinned configuration, and the state warned if the config changed. */
    record Step(FailoverContext context, FailoverState state) {
    }

    /**
     * Re-checks only what can have changed since CheckConfiguration: that this execution still holds
     * the cluster's lock (re-taking it also extends it, so a long failover does not outlive it) and
     * whether an operator edited the configuration, which the failover then does not follow.
     */
    Step step(WorkflowDocument doc, String execution) {
        String cluster = doc.input().cluster();
        Pinned pinned = pinned(cluster, doc.config(), execution);
        FailoverState state = doc.state();
        if (pinned.configChanged()) {
            state = state.withWarning("the configuration of cluster " + cluster + " changed during the failover; the failover went on"
                    + " with the configuration CheckConfiguration read");
        }
        return new Step(pinned.context(), state);
    }

    /** A later step's context, a failover's or a switchover's: the pinned configuration, and whether the file changed since. */
    record Pinned(FailoverContext context, boolean configChanged) {
    }

    /** The lock re-taken (a lost one stops the step before it touches a server), then the pinned configuration. */
    Pinned pinned(String cluster, PinnedConfig config, String execution) {
        if (!runtime.stateStore().lock(cluster, execution, runtime.lockTtl())) {
            throw new LockLost("the failover lock of cluster " + cluster + " is no longer held by " + execution
                    + ": another execution took it after it expired; this one stops so that two failovers never act at once");
        }
        FailoverContext current = runtime.context(cluster);
        if (config == null) {
            return new Pinned(current, false);
        }
        ClusterConfig now = current.config();
        boolean changed = !PinnedConfig.of(now).digest().equals(config.digest());
        return new Pinned(current.withConfig(config.toConfig(now.credentials(), now.replicationCredentials())), changed);
    }

    /** Success: history and last-failover record, the lock released, one report published. */
    WorkflowResult report(WorkflowDocument doc, String execution) {
        FailoverState state = doc.state();
        // a replica left out for its errant transactions does not follow the new master either
        FailoverOutcome outcome = state.lossPossible() ? FailoverOutcome.POSSIBLE_LOSS
                : state.outcomes().stream().allMatch(ReplicaOutcome::ok) && state.leftOut().isEmpty()
                        ? FailoverOutcome.SUCCEEDED : FailoverOutcome.PARTIAL;
        FailoverReport report = FailoverReport.of(state, reportConfig(doc).orElse(null), outcome, null, null);
        return finish(state, execution, outcome, null, report, report.subject(), runtime.clock().instant());
    }

    /**
     * A phase failed after servers may have changed: the record says "failover error" (MHA's
     * {@code .failover.error}) so the next automatic failover waits for an operator, the lock is
     * released, and the failure report goes out.
     */
    WorkflowResult reportFailure(WorkflowDocument doc, String execution, JsonNode error) {
        FailoverState state = doc.state();
        String failedPhase = failedPhase(doc);
        String message = errorMessage(error);
        Optional<ClusterConfig> config = reportConfig(doc);
        FailoverReport report = FailoverReport.of(state, config.orElse(null), FailoverOutcome.FAILED, failedPhase, message);
        return finish(state, execution, FailoverOutcome.FAILED, failedPhase, report, failedPhase + ": " + message,
                runtime.clock().instant());
    }

    /**
     * The first state refused (master alive, ambiguous topology, a recent failover …): nothing was
     * changed, so nothing is recorded; the lock is released and the refusal reported, because a dead
     * master that is not failed over is what a DBA most needs to hear about.
     */
    WorkflowResult reportRefusal(JsonNode request, String execution) {
        // the raw input, with the Catch's "error" beside its fields
        ObjectNode raw = request.get("input").deepCopy();
        raw.remove("error");
        FailoverRequest input = FailoverRequest.parse(raw);
        String message = errorMessage(request.get("error"));
        FailoverState state = FailoverState.start(input.cluster(), input.deadMaster(), input.newMaster(), input.force(),
                runtime.clock().millis());
        Optional<ClusterConfig> config = configIfReadable(input.cluster());
        String failedPhase = PhaseName.CHECK_CONFIGURATION.stateName();
        FailoverReport report = FailoverReport.of(state, config.orElse(null), FailoverOutcome.REFUSED, failedPhase, message);
        runtime.stateStore().unlock(input.cluster(), execution);
        runtime.notifier().publish(report.subject(), report.text(), report.json());
        figures(state, FailoverOutcome.REFUSED, runtime.clock().millis());
        return result(state, FailoverOutcome.REFUSED, failedPhase, report, message);
    }

    /**
     * Record, then unlock, then publish, and only then forget the progress: a retried step records
     * nothing twice (the store is idempotent per execution), the guard holds before the lock goes,
     * and a controller killed anywhere in between leaves progress behind, so the next run repeats
     * this step (at worst one report twice) instead of finding a cluster that was failed over but
     * never reported, or a lock that no progress explains.
     */
    private WorkflowResult finish(FailoverState state, String execution, FailoverOutcome outcome, String failedPhase,
                                  FailoverReport report, String summary, Instant now) {
        StateStore store = runtime.stateStore();
        store.record(new StateStore.FailoverRecord(state.cluster(), execution, Instant.ofEpochMilli(state.startedAtMillis()),
                now, outcome.label(), state.deadMaster(), state.newMaster(), report.json()));
        store.unlock(state.cluster(), execution);
        runtime.notifier().publish(report.subject(), report.text(), report.json());
        if (outcome != FailoverOutcome.FAILED) {
            // a failed failover keeps its progress: running it again finishes it from the failed state
            store.clearProgress(state.cluster(), execution);
        }
        figures(state, outcome, now.toEpochMilli());
        return result(state, outcome, failedPhase, report, summary);
    }

    /** After the report: a sink's trouble must not cost the report, nor make a retried step publish twice. */
    private void figures(FailoverState state, FailoverOutcome outcome, long endMillis) {
        try {
            runtime.metrics().failover(io.mhaserverless.core.metrics.FailoverFigures.of(state, outcome, endMillis));
        } catch (RuntimeException e) {
            // figures are for watching only
        }
    }

    private static WorkflowResult result(FailoverState state, FailoverOutcome outcome, String failedPhase, FailoverReport report,
                                         String summary) {
        try {
            return new WorkflowResult(state.cluster(), outcome, state.deadMaster(), state.newMaster(), failedPhase, summary,
                    JSON.readTree(report.json()), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The phase that stopped: the one after the last that completed. The Map's outcomes present but
     * not yet recorded mean RecoverReplicas finished and Cleanup stopped.
     */
    static String failedPhase(WorkflowDocument doc) {
        List<String> done = doc.state().phases().stream().map(FailoverState.PhaseRecord::phase).toList();
        if (!doc.recovered().isEmpty() && !done.contains(PhaseName.RECOVER_REPLICAS.stateName())) {
            return PhaseName.CLEANUP.stateName();
        }
        return java.util.Arrays.stream(PhaseName.values()).map(PhaseName::stateName).filter(n -> !done.contains(n)).findFirst()
                .orElse("Report");
    }

    /**
     * A Catch hands over {@code {"Error": …, "Cause": …}}; for a Lambda task the cause is the
     * runtime's JSON ({@code errorMessage}, {@code errorType}), for a timeout a plain sentence.
     */
    static String errorMessage(JsonNode error) {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        String name = error.path("Error").asText("");
        String cause = error.path("Cause").asText("");
        try {
            JsonNode lambda = JSON.readTree(cause);
            if (lambda != null && lambda.hasNonNull("errorMessage")) {
                return lambda.get("errorMessage").asText() + " (" + lambda.path("errorType").asText(name) + ")";
            }
        } catch (IOException notJson) {
            // a plain cause, e.g. States.Timeout's
        }
        return cause.isEmpty() ? name : cause + " (" + name + ")";
    }

    /**
     * The servers the report names: the pinned configuration (it needs no account), else the
     * current one if it can be read. A report must not fail because the config is being edited.
     */
    private Optional<ClusterConfig> reportConfig(WorkflowDocument doc) {
        return reportConfig(doc.config(), doc.input().cluster());
    }

    Optional<ClusterConfig> reportConfig(PinnedConfig pinned, String cluster) {
        if (pinned != null) {
            return Optional.of(pinned.toConfig(new io.mhaserverless.core.config.Credentials("(not used)", Optional.empty(),
                    Optional.empty()), Optional.empty()));
        }
        return configIfReadable(cluster);
    }

    Optional<ClusterConfig> configIfReadable(String cluster) {
        try {
            return Optional.of(runtime.context(cluster).config());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static WorkflowDocument next(FailoverRequest input, FailoverState state, List<ReplicaOutcome> applied,
                                         List<ReplicaOutcome> recovered, PinnedConfig config) {
        return new WorkflowDocument(input, state, RecoverReplicas.targets(state), applied, recovered, config);
    }

    private static void requireTarget(WorkflowDocument doc, String replica) {
        if (!RecoverReplicas.targets(doc.state()).contains(replica)) {
            throw new IllegalArgumentException("replica '" + replica + "' is not one RecoverReplicas works on: "
                    + RecoverReplicas.targets(doc.state()));
        }
    }

    private static WorkflowDocument document(JsonNode request) {
        ObjectNode doc = JSON.createObjectNode();
        for (String field : List.of("input", "state", "replicas", "applied", "recovered", "config")) {
            if (request.hasNonNull(field)) {
                doc.set(field, request.get(field));
            }
        }
        try {
            return JSON.treeToValue(doc, WorkflowDocument.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed step request: " + e.getOriginalMessage(), e);
        }
    }

    static String text(JsonNode request, String field) {
        JsonNode v = request == null ? null : request.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("step request: field '" + field + "' is required");
        }
        return v.asText();
    }
}
