package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rejoin's report, in the failover report's shape (subject, text for email, JSON with {@code "mode": "rejoin"}). */
public final class RejoinReport {


    private RejoinReport() {
    }

    public static FailoverReport of(RejoinState state, ClusterConfig config, FailoverOutcome outcome, String failedPhase,
                                    String error) {
        String verdict = switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case REFUSED -> "refused";
            default -> "failed";
        };
        String server = FailoverReport.label(config, state.server());
        String subject = state.cluster() + ": " + state.server() + " rejoin as a replica " + verdict;
        List<String> lines = new ArrayList<>();
        lines.add("----- Rejoin Report -----");
        lines.add("");
        lines.add(state.cluster() + ": " + server + " rejoin as a replica" + (state.master() == null ? "" : " of "
                + FailoverReport.label(config, state.master())) + " " + verdict);
        lines.add("");
        if (state.master() != null) {
            lines.add(state.gtid() ? "Compared by GTID: " + server + " holds no transaction " + FailoverReport.label(config, state.master())
                    + " lacks." : state.savedUpTo() == null ? "By file and position: it replicated from the master already."
                    : "Compared by file and position: " + server + "'s binlog holds no transaction after " + state.savedUpTo()
                    + " (recorded by " + state.record() + "); it starts at " + state.startAt() + " of the master's binlog.");
        }
        if (state.result() != null) {
            lines.add(server + ": " + state.result());
        }
        for (String w : state.warnings()) {
            lines.add("Warning: " + w);
        }
        if (outcome == FailoverOutcome.REFUSED) {
            lines.add("Rejoin refused in " + FailoverReport.known(failedPhase) + ": " + FailoverReport.known(error));
            lines.add("Nothing was changed.");
        } else if (outcome == FailoverOutcome.FAILED) {
            lines.add("Rejoin stopped in " + FailoverReport.known(failedPhase) + ": " + FailoverReport.known(error));
        }
        lines.add("Step timings: " + String.join(", ", state.phases().stream().map(p -> p.phase() + " " + p.millis() + " ms").toList())
                + ".");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cluster", state.cluster());
        json.put("mode", "rejoin");
        json.put("outcome", outcome.label());
        json.put("server", state.server());
        json.put("master", state.master());
        json.put("gtid", state.gtid());
        json.put("savedUpTo", state.savedUpTo());
        json.put("startAt", state.startAt());
        json.put("record", state.record());
        json.put("result", state.result());
        json.put("warnings", state.warnings());
        json.put("phases", state.phases().stream().map(PhaseRecord::phase).toList());
        json.put("failedPhase", failedPhase);
        json.put("error", error);
        return FailoverReport.assemble(subject, lines, json);
    }
}
