package io.mhaserverless.core.rejoin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.StateStore.FailoverRecord;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where, by file and position, a server that lost the master role stands against the new master,
 * as the record of that failover or switchover keeps it: the position in the old master's binlog up
 * to which the new master has its transactions, and the new master's own position at the moment it
 * took writes. A failover has the old master's transactions up to the binlog it saved and applied
 * (RecoverNewMaster), else up to the latest replica's boundary; a switchover up to the old
 * master's final position.
 *
 * @param execution the execution whose record this is
 * @param newMaster the server that took over then
 * @param savedUpTo position in the old master's binlog: everything after it is the old master's alone
 * @param startAt   position in the new master's binlog where the old master starts replicating
 */
public record RejoinPoint(String execution, String kind, String newMaster, BinlogCoordinates savedUpTo, BinlogCoordinates startAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The newest failover or switchover in which {@code server} lost the master role; refused ones
     * changed nothing and rejoins are not such records. Empty when none is recorded.
     *
     * @throws FailoverException when that record cannot give a position (it failed, or is unreadable)
     */
    public static Optional<RejoinPoint> of(List<FailoverRecord> history, String server) {
        for (FailoverRecord r : history) {
            JsonNode report = read(r);
            String mode = report.path("mode").asText("failover");
            if (!server.equals(r.deadMaster()) || "rejoin".equals(mode) || "refused".equals(r.outcome())
                    || report.path("rolledBack").asBoolean(false)) {
                continue;
            }
            String what = "the " + mode + " " + r.executionId() + " (" + r.outcome() + " at " + r.endedAt() + ")";
            if ("failed".equals(r.outcome())) {
                throw new FailoverException(what + " of " + server + " failed, so no position is known up to which the new master"
                        + " has its transactions: finish or repair that one first (or rebuild " + server + " from a backup)");
            }
            String saved;
            if ("switchover".equals(mode)) {
                saved = report.path("finalBinlog").asText(null);
            } else {
                JsonNode salvage = report.path("salvage");
                saved = "SAVED".equals(salvage.path("status").asText()) && salvage.hasNonNull("lastEnd")
                        ? salvage.get("lastEnd").asText() : report.path("boundary").asText(null);
            }
            String start = report.path("newMasterBinlog").asText(null);
            if (saved == null || start == null || r.newMaster() == null) {
                throw new FailoverException(what + " recorded no binlog positions (it ran with GTIDs?): " + server
                        + " cannot be compared by file and position");
            }
            return Optional.of(new RejoinPoint(r.executionId(), mode, r.newMaster(), BinlogCoordinates.parse(saved),
                    BinlogCoordinates.parse(start)));
        }
        return Optional.empty();
    }

    private static JsonNode read(FailoverRecord r) {
        try {
            return JSON.readTree(r.reportJson() == null ? "{}" : r.reportJson());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
