package io.mhaserverless.local;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.adapter.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A failover in a test, through the one path `mha failover` takes: asl.json under the local
 * runtime, the lock and the guard in a state directory, the Map states, the record and the report.
 */
public final class FailoverRun {

    /**
     * How a failover ended, as tests read it: the final state (null if none was reported), the outcome,
     * the report, and the progress lines an operator saw ("[Phase] message").
     */
    public record Result(FailoverState state, FailoverOutcome outcome, Report report, List<String> progress) {

        public Result(FailoverState state, FailoverOutcome outcome, Report report) {
            this(state, outcome, report, List.of());
        }
    }

    /** The report the notifier received. */
    public record Report(String subject, String text, String json) {
    }

    private static final LocalFailover FAILOVER = LocalFailover.bundled();
    private static final Progress PRINT = (phase, message) -> System.out.println("[" + phase + "] " + message);

    private FailoverRun() {
    }

    /** A failover that ignores the last-failover guard, as tests run one per sandbox. */
    public static Result run(ClusterConfig config, Path stateDir, WriterIp writerIp, NodeAgent nodeAgent, String deadMaster,
                             String newMaster, boolean force) {
        List<Report> published = new ArrayList<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Progress progress = (phase, message) -> {
            lines.add("[" + phase + "] " + message);
            PRINT.info(phase, message);
        };
        Notifier notifier = (subject, text, json) -> published.add(new Report(subject, text, json));
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(config.cluster(), () -> config, writerIp, nodeAgent,
                new FileStateStore(stateDir, Clock.systemUTC()), notifier, progress, Clock.systemUTC(), Duration.ofSeconds(30));
        LocalFailover.Result r = FAILOVER.run(LocalFailover.input(config.cluster(), deadMaster, newMaster, force, true), runtime, progress);
        Report report = published.isEmpty() ? new Report("", "(no report: " + r.error() + ": " + r.cause() + ")", "{}")
                : published.get(published.size() - 1);
        System.out.println(report.text());
        FailoverState state = r.execution().output() == null ? null
                : FailoverWorkflow.json().convertValue(r.execution().output().get("state"), FailoverState.class);
        return new Result(state, r.outcome(), report, List.copyOf(lines));
    }
}
