package io.mhaserverless.core.failover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import io.mhaserverless.core.failover.FailoverState.ReplicaPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MHA's Failover Report: the same facts, as text for people (email) and JSON for machines (chat,
 * webhooks, tests). Built from the state alone, so a failed failover reports exactly the phases
 * that had acted.
 */
public record FailoverReport(String subject, String text, String json) {

    /** SNS: a subject "must be less than 100 characters long". */
    static final int MAX_SUBJECT = 99;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static FailoverReport of(FailoverState state, ClusterConfig config, FailoverOutcome outcome, String failedPhase,
                                    String error) {
        String dead = label(config, state.deadMaster());
        String newMaster = label(config, state.newMaster());
        boolean refused = outcome == FailoverOutcome.REFUSED;
        String verdict = switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case PARTIAL -> "succeeded, but some replicas were not recovered";
            case POSSIBLE_LOSS -> "succeeded, but transactions may be lost";
            case FAILED -> "failed";
            case REFUSED -> "refused";
        };
        String result = outcome == FailoverOutcome.FAILED || refused ? verdict
                : outcome == FailoverOutcome.POSSIBLE_LOSS ? "succeeded; transactions may be lost" : "succeeded";
        String subject = state.cluster() + ": MySQL master failover" + (state.deadMaster() == null ? "" : " " + state.deadMaster())
                + (state.newMaster() == null ? "" : " to " + state.newMaster()) + " " + result;
        if (subject.length() > MAX_SUBJECT) {
            // SNS's limit: the names go, the verdict stays (it is what a DBA reads first)
            subject = state.cluster() + ": MySQL master failover " + result;
            if (subject.length() > MAX_SUBJECT) {
                subject = subject.substring(0, MAX_SUBJECT - result.length() - 4) + "... " + result;
            }
        }

        List<String> lines = new ArrayList<>();
        lines.add("----- Failover Report -----");
        lines.add("");
        lines.add(state.cluster() + ": MySQL master failover " + dead + (state.newMaster() == null ? "" : " to " + newMaster) + " " + verdict);
        lines.add("");
        if (state.deadMaster() != null && !refused) {
            lines.add("Master " + dead + " is down!");
        }
        boolean fenced = acted(state, PhaseName.FENCE_DEAD_MASTER);
        if (fenced) {
            lines.add("Invalidated master IP address on " + dead + ".");
        }
        if (!state.latest().isEmpty()) {
            ReplicaPosition latest = state.replica(state.latest().get(0));
            lines.add("The latest replica " + label(config, latest.name()) + " received " + latest.receivedFile() + ":"
                    + latest.receivedPos() + (latest.receivedGtids().isEmpty() ? "" : " (GTID " + latest.receivedGtids() + ")")
                    + "; its last complete transaction ends at " + known(state.boundary()) + ".");
            if (state.relaySource() != null) {
                lines.add("The latest replica " + label(config, state.relaySource()) + " has all relay logs for recovery.");
            }
            lines.add(salvageLine(state, dead));
        }
        if (state.newMaster() != null) {
            lines.add("Selected " + newMaster + " as a new master: " + known(state.selectionReason()) + ".");
        }
        if (acted(state, PhaseName.RECOVER_NEW_MASTER)) {
            lines.add(newMaster + ": OK: Applying all logs succeeded; read_only OFF; binlog at " + known(state.newMasterBinlog()) + ".");
        }
        if (acted(state, PhaseName.MOVE_WRITER_IP)) {
            lines.add(newMaster + ": OK: Activated master IP address.");
        }
        for (ReplicaOutcome o : state.leftOut()) {
            lines.add(label(config, o.name()) + ": ERROR: " + known(o.message()));
        }
        for (ReplicaOutcome o : state.outcomes()) {
            lines.add(label(config, o.name()) + ": " + (o.ok() ? "OK: " : "ERROR: ") + known(o.message()));
        }
        if (acted(state, PhaseName.CLEANUP)) {
            lines.add(newMaster + ": Resetting replica info succeeded.");
        }
        for (String w : state.warnings()) {
            lines.add("Warning: " + w);
        }
        if (outcome == FailoverOutcome.FAILED || refused) {
            lines.add("Failover stopped in " + known(failedPhase) + ": " + known(error));
            if (!refused) {
                lines.add(failedPhase + " may have acted in part before it stopped; check the servers it touches.");
            }
            lines.add("Phases that completed: " + (state.phases().isEmpty() ? "none (nothing was changed)"
                    : String.join(", ", state.phases().stream().map(FailoverState.PhaseRecord::phase).toList())) + ".");
        } else {
            lines.add("Master failover to " + newMaster + switch (outcome) {
                case SUCCEEDED -> " completed successfully.";
                case POSSIBLE_LOSS -> " completed, but transactions " + dead + " wrote after " + known(state.boundary())
                        + " may be lost (see above).";
                default -> " completed; see the ERROR lines above.";
            });
        }
        for (FailoverState.Resume r : state.resumes()) {
            lines.add("Resumed: " + r.why() + ".");
        }
        if (state.noWritableMasterMillis() != null) {
            lines.add("The cluster had no writable master for " + state.noWritableMasterMillis() + " ms (from the start of the failover"
                    + (state.resumes().isEmpty() ? "" : ", the time no controller ran included") + ", until " + newMaster
                    + " took writes).");
        }
        if (outcome == FailoverOutcome.FAILED && state.salvage() != null && state.salvage().status() == FailoverState.Salvage.Status.SAVED
                && state.salvage().path() != null) {
            lines.add("The binlog saved from " + dead + " is kept at " + state.salvage().path() + " until this failover is finished"
                    + " (run it again); it is deleted then.");
        }
        lines.add("Phase timings: " + String.join(", ", state.phases().stream()
                .map(p -> p.phase() + " " + p.millis() + " ms").toList()) + ".");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cluster", state.cluster());
        json.put("outcome", outcome.label());
        json.put("deadMaster", state.deadMaster());
        json.put("newMaster", state.newMaster());
        json.put("selectionReason", state.selectionReason());
        json.put("latest", state.latest());
        json.put("boundary", state.boundary());
        json.put("salvage", state.salvage());
        json.put("newMasterBinlog", state.newMasterBinlog());
        json.put("newMasterGtids", state.newMasterGtids());
        json.put("replicas", state.outcomes());
        json.put("leftOut", state.leftOut());
        json.put("warnings", state.warnings());
        json.put("phases", state.phases());
        json.put("resumed", !state.resumes().isEmpty());
        json.put("resumes", state.resumes());
        json.put("noWritableMasterMillis", state.noWritableMasterMillis());
        json.put("failedPhase", failedPhase);
        json.put("error", error);
        return assemble(subject, lines, json);
    }

    /** The one shape every report (failover, switchover, rejoin) takes: subject, text lines, JSON facts. */
    public static FailoverReport assemble(String subject, List<String> lines, Map<String, Object> json) {
        try {
            return new FailoverReport(subject, String.join("\n", lines) + "\n", JSON.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static String salvageLine(FailoverState state, String dead) {
        FailoverState.Salvage s = state.salvage();
        if (s == null) {
            return "The binlog of " + dead + " after " + known(state.boundary()) + " was not saved: transactions only it had may be lost.";
        }
        return switch (s.status()) {
            case SAVED -> "Saved " + s.transactions() + " transactions (" + s.events() + " events, " + s.bytes() + " bytes) from the binlog of "
                    + dead + " after " + s.from() + " up to " + s.lastEnd() + ", and applied them before repointing any replica"
                    + (s.detail().isEmpty() ? "." : "; " + s.detail() + ".");
            case NOTHING_NEWER -> "The binlog of " + dead + " has nothing after " + s.from() + ": no transaction was lost.";
            case PENDING -> "The binlog of " + dead + " after " + s.from() + " was within reach but not yet saved and applied"
                    + " (RecoverNewMaster does that): it is still on " + dead + "'s disk.";
            case UNREACHABLE -> "Transactions " + dead + " wrote after " + s.from() + " may be lost" + lossEstimate(s.from(),
                    state.lastSeenMasterBinlog()) + ": " + s.detail() + ".";
        };
    }

    /** The binlog between the boundary and where the master was last seen: what may be lost, in bytes, when that is knowable. */
    private static String lossEstimate(String from, String lastSeen) {
        if (lastSeen == null) {
            return " (how many is unknown: the master's last binlog position was not recorded)";
        }
        var a = io.mhaserverless.core.mysql.BinlogCoordinates.parse(from);
        var b = io.mhaserverless.core.mysql.BinlogCoordinates.parse(lastSeen);
        if (a.file().equals(b.file()) && b.position() >= a.position()) {
            return " (up to " + (b.position() - a.position()) + " bytes of binlog: it was last seen at " + lastSeen + ")";
        }
        return " (at least everything up to " + lastSeen + ", where it was last seen)";
    }

    /** A fact the failover did not get to learn reads as such, never as "null". */
    public static String known(String value) {
        return value == null || value.isBlank() ? "(unknown)" : value;
    }

    private static boolean acted(FailoverState state, PhaseName phase) {
        return state.phases().stream().anyMatch(p -> p.phase().equals(phase.stateName()));
    }

    /** A server as the report names it: name(host:port) when the config knows it. */
    public static String label(ClusterConfig config, String name) {
        if (name == null) {
            return "(unknown)";
        }
        // no config when it could not be read: the report still goes out, with bare names
        return config == null ? name : config.server(name).map(ServerConfig::label).orElse(name);
    }
}
