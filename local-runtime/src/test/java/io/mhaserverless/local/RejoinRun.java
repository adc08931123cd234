package io.mhaserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.rejoin.RejoinState;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.adapter.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A rejoin in a test, through the path `mha rejoin` takes: asl.json's rejoin branch under the local runtime. */
public final class RejoinRun {

    /** How it ended: the final state (null when refused), the outcome, the report published. */
    public record Result(RejoinState state, FailoverOutcome outcome, FailoverRun.Report report, JsonNode output) {
    }

    private static final LocalFailover RUNTIME = LocalFailover.bundled();
    private static final Progress PRINT = (phase, message) -> System.out.println("[" + phase + "] " + message);

    private RejoinRun() {
    }

    public static Result run(ClusterConfig config, Path stateDir, String server) {
        List<FailoverRun.Report> published = new ArrayList<>();
        Notifier notifier = (subject, text, json) -> published.add(new FailoverRun.Report(subject, text, json));
        LocalWorkflowRuntime runtime = new LocalWorkflowRuntime(config.cluster(), () -> config, WriterIp.NONE, NodeAgent.NONE,
                new FileStateStore(stateDir, Clock.systemUTC()), notifier, PRINT, Clock.systemUTC(), Duration.ofSeconds(30));
        LocalFailover.Result r = RUNTIME.run(LocalFailover.rejoinInput(config.cluster(), server, false), runtime, PRINT);
        FailoverRun.Report report = published.isEmpty()
                ? new FailoverRun.Report("", "(no report: " + r.error() + ": " + r.cause() + ")", "{}")
                : published.get(published.size() - 1);
        System.out.println(report.text());
        JsonNode output = r.execution().output();
        RejoinState state = output == null || !output.hasNonNull("state") ? null
                : FailoverWorkflow.json().convertValue(output.get("state"), RejoinState.class);
        return new Result(state, r.outcome(), report, output);
    }
}
