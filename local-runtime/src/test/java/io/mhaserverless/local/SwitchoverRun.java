package io.mhaserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.switchover.SwitchPoint;
import io.mhaserverless.core.switchover.SwitchoverState;
import io.mhaserverless.core.workflow.WorkflowRuntime;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.adapter.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A switchover in a test, through the path `mha switchover` takes: asl.json's switchover branch
 * under the local runtime, the lock in a state directory, the Map, the record and the report.
 */
public final class SwitchoverRun {

    /** How it ended: the final state (null if none was reported), the outcome, the report, the execution's output. */
    public record Result(SwitchoverState state, FailoverOutcome outcome, FailoverRun.Report report, JsonNode output,
                         LocalFailover.Result execution) {
    }

    /** What a switchover is asked to do. */
    public record Request(String newMaster, boolean origMasterIsNewSlave, long runningUpdatesLimit, boolean force) {
        public static Request to(String newMaster) {
            return new Request(newMaster, false, 1, false);
        }

        public Request oldMasterFollows() {
            return new Request(newMaster, true, runningUpdatesLimit, force);
        }

        public Request withLimit(long seconds) {
            return new Request(newMaster, origMasterIsNewSlave, seconds, force);
        }

        public Request withForce() {
            return new Request(newMaster, origMasterIsNewSlave, runningUpdatesLimit, true);
        }
    }

    private static final LocalFailover RUNTIME = LocalFailover.bundled();
    private static final Progress PRINT = (phase, message) -> System.out.println("[" + phase + "] " + message);

    private SwitchoverRun() {
    }

    public static Result run(ClusterConfig config, Path stateDir, WriterIp writerIp, Request request) {
        return run(config, stateDir, writerIp, request, Duration.ofSeconds(30));
    }

    public static Result run(ClusterConfig config, Path stateDir, WriterIp writerIp, Request request, Duration waitTimeout) {
        return run(config, stateDir, writerIp, request, waitTimeout, SwitchPoint.FaultHook.NONE);
    }

    /** @param faults called at each moment of the write block: a test fails the switch there */
    public static Result run(ClusterConfig config, Path stateDir, WriterIp writerIp, Request request, Duration waitTimeout,
                             SwitchPoint.FaultHook faults) {
        List<FailoverRun.Report> published = new ArrayList<>();
        Notifier notifier = (subject, text, json) -> published.add(new FailoverRun.Report(subject, text, json));
        LocalWorkflowRuntime local = new LocalWorkflowRuntime(config.cluster(), () -> config, writerIp, NodeAgent.NONE,
                new FileStateStore(stateDir, Clock.systemUTC()), notifier, PRINT, Clock.systemUTC(), waitTimeout);
        WorkflowRuntime runtime = new WorkflowRuntime() {
            @Override
            public FailoverContext context(String cluster) {
                return local.context(cluster).withFaults(faults);
            }

            @Override
            public StateStore stateStore() {
                return local.stateStore();
            }

            @Override
            public Notifier notifier() {
                return local.notifier();
            }
        };
        LocalFailover.Result r = RUNTIME.run(LocalFailover.switchoverInput(config.cluster(), request.newMaster(),
                request.origMasterIsNewSlave(), request.runningUpdatesLimit(), request.force()), runtime, PRINT);
        FailoverRun.Report report = published.isEmpty()
                ? new FailoverRun.Report("", "(no report: " + r.error() + ": " + r.cause() + ")", "{}")
                : published.get(published.size() - 1);
        System.out.println(report.text());
        JsonNode output = r.execution().output();
        SwitchoverState state = output == null || !output.hasNonNull("state") ? null
                : FailoverWorkflow.json().convertValue(output.get("state"), SwitchoverState.class);
        return new Result(state, r.outcome(), report, output, r);
    }
}
