package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A switchover's report, in the failover report's shape (subject, text for email, JSON for
 * machines) so that it goes out and is kept the same way. It says how long writes were blocked,
 * and, when the switch was rolled back, that the old master serves as before.
 */
public final class SwitchoverReport {

    private static final int MAX_SUBJECT = 99;

    private SwitchoverReport() {
    }

    /**
     * @param rolledBack the switch failed before the new master took writes and was undone
     */
    public static FailoverReport of(SwitchoverState state, ClusterConfig config, FailoverOutcome outcome, String failedPhase,
                                    String error, boolean rolledBack) {
        String old = FailoverReport.label(config, state.origMaster());
        String newMaster = FailoverReport.label(config, state.newMaster());
        // a refusal may come before any master was chosen: the operator's choice, if any, names the switch
        String target = state.newMaster() != null ? state.newMaster() : state.requestedNewMaster();
        String verdict = switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case PARTIAL -> "succeeded, but some replicas were not repointed";
            case POSSIBLE_LOSS -> throw new IllegalArgumentException("a switchover has no dead master whose writes could be lost");
            case FAILED -> rolledBack ? "failed and was rolled back" : "failed";
            case REFUSED -> "refused";
        };
        String shortVerdict = outcome == FailoverOutcome.PARTIAL ? "succeeded" : rolledBack ? "rolled back" : verdict;
        String subject = state.cluster() + ": MySQL master switchover" + (state.origMaster() == null ? "" : " " + state.origMaster())
                + (target == null ? "" : " to " + target) + " " + shortVerdict;
        if (subject.length() > MAX_SUBJECT) {
            subject = state.cluster() + ": MySQL master switchover " + shortVerdict;
            if (subject.length() > MAX_SUBJECT) {
                subject = subject.substring(0, MAX_SUBJECT - shortVerdict.length() - 4) + "... " + shortVerdict;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("----- Switchover Report -----");
        lines.add("");
        lines.add(state.cluster() + ": MySQL master switchover" + (state.origMaster() == null ? "" : " " + old)
                + (target == null ? "" : " to " + FailoverReport.label(config, target)) + " " + verdict);
        lines.add("");
        if (state.newMaster() != null && outcome != FailoverOutcome.REFUSED) {
            lines.add("Selected " + newMaster + " as the new master: " + FailoverReport.known(state.selectionReason()) + ".");
        }
        SwitchoverState.WriteBlock block = state.writeBlock();
        if (block != null) {
            lines.add("Writes were blocked for " + block.millis() + " ms: " + old + " read-only, " + block.sessionsKilled()
                    + " open transactions ended, writer address released; " + newMaster + " applied " + old + "'s binlog up to "
                    + FailoverReport.known(state.finalBinlog()) + " in " + block.catchUpMillis() + " ms, took the writer address and writes at "
                    + FailoverReport.known(state.newMasterBinlog()) + ".");
        } else if (state.completed(SwitchoverStep.SWITCH_MASTER)) {
            lines.add(newMaster + " takes writes (the write block was not measured).");
        }
        for (ReplicaOutcome o : state.outcomes()) {
            lines.add(FailoverReport.label(config, o.name()) + ": " + (o.ok() ? "OK: " : "ERROR: ") + FailoverReport.known(o.message()));
        }
        if (state.completed(SwitchoverStep.SWITCHOVER_CLEANUP)) {
            lines.add(newMaster + ": Resetting replica info succeeded.");
        }
        if (state.origMasterOutcome() != null) {
            ReplicaOutcome o = state.origMasterOutcome();
            lines.add(old + " (the old master): " + (o.ok() ? "OK: " : "ERROR: ") + FailoverReport.known(o.message()));
        } else if (state.completed(SwitchoverStep.SWITCH_MASTER)) {
            lines.add(old + " (the old master) is read-only and replicates from nobody"
                    + (state.origMasterIsNewSlave() ? "." : " (origMasterIsNewSlave was not set)."));
        }
        for (String w : state.warnings()) {
            lines.add("Warning: " + w);
        }
        if (outcome == FailoverOutcome.REFUSED) {
            lines.add("Switchover refused in " + FailoverReport.known(failedPhase) + ": " + FailoverReport.known(error));
            lines.add("Nothing was changed.");
        } else if (outcome == FailoverOutcome.FAILED) {
            lines.add("Switchover stopped in " + FailoverReport.known(failedPhase) + ": " + FailoverReport.known(error));
            lines.add(rolledBack ? "Nothing was changed: everything the switch did was undone, and " + old + " takes writes as before."
                    : failedPhase + " may have acted in part before it stopped; check the servers it touches.");
            lines.add("Steps that completed: " + (state.phases().isEmpty() ? "none"
                    : String.join(", ", state.phases().stream().map(PhaseRecord::phase).toList())) + ".");
        } else {
            lines.add("Master switchover to " + newMaster + (outcome == FailoverOutcome.SUCCEEDED ? " completed successfully."
                    : " completed; see the ERROR lines above."));
        }
        lines.add("Step timings: " + String.join(", ", state.phases().stream().map(p -> p.phase() + " " + p.millis() + " ms").toList())
                + ".");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cluster", state.cluster());
        json.put("mode", "switchover");
        json.put("outcome", outcome.label());
        json.put("origMaster", state.origMaster());
        json.put("newMaster", state.newMaster());
        json.put("selectionReason", state.selectionReason());
        json.put("writeBlockMillis", block == null ? null : block.millis());
        json.put("writeBlock", block);
        json.put("finalBinlog", state.finalBinlog());
        json.put("finalGtids", state.finalGtids());
        json.put("newMasterBinlog", state.newMasterBinlog());
        json.put("newMasterGtids", state.newMasterGtids());
        json.put("replicas", state.outcomes());
        json.put("origMasterIsNewSlave", state.origMasterIsNewSlave());
        json.put("origMasterOutcome", state.origMasterOutcome());
        json.put("rolledBack", rolledBack);
        json.put("warnings", state.warnings());
        json.put("phases", state.phases());
        json.put("failedPhase", failedPhase);
        json.put("error", error);
        return FailoverReport.assemble(subject, lines, json);
    }
}
