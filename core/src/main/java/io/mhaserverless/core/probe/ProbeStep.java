package io.mhaserverless.core.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One step of the probe and its verdict, one line in the log: a failed ping, the replicas'
 * answers, the secondary check, the grace window, the lease, the execution started. An operator
 * who asks "why did it (not) fail over?" reads these lines in order.
 *
 * @param step    {@code ping}, {@code replicas}, {@code secondary-check}, {@code grace}, {@code lease},
 *                {@code discover}, {@code start} or {@code follow}
 * @param verdict what the step concluded: {@code alive}, {@code failed}, {@code veto}, {@code confirmed},
 *                {@code dead}, {@code cancelled}, {@code held}, {@code standby}, {@code started}, ...
 */
public record ProbeStep(Instant at, String cluster, String master, String step, String verdict, String detail) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The line as CloudWatch Logs Insights reads it: one JSON object, no secrets (none reach here). */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("at", at.toString());
        o.put("cluster", cluster);
        o.put("master", master);
        o.put("step", step);
        o.put("verdict", verdict);
        o.put("detail", detail);
        return o.toString();
    }

    /** The line as a person at a terminal reads it. */
    public String toText() {
        return at + " " + cluster + " " + (master == null ? "-" : master) + " " + step + ": " + verdict
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
