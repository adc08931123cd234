package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * save-binlog's answer; status "ok" (exit 0) or "nothing-newer" (exit {@link ExitCodes#NOTHING_NEWER}, no file).
 *
 * @param gtids the saved transactions' GTIDs in the flavor's notation ("" when the server had none)
 * @param appliedTo with --apply-to: "host:port" the saved events were applied to (null without)
 * @param appliedEvents / appliedTransactions what was applied (events the target had by GTID left out)
 * @param skipped event groups left out because the target already had their GTID
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SaveBinlogAnswer(String status, String out, long bytes, long events, long transactions, String fromFile,
                               long fromPos, String lastFile, long lastEndPos, boolean truncatedTail,
                               boolean lastTransactionComplete, String gtids, String appliedTo, long appliedEvents,
                               long appliedTransactions, long skipped) {

    public static final String NOTHING_NEWER = "nothing-newer";

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("status", status).put("out", out).put("bytes", bytes).put("events", events)
                .put("transactions", transactions).put("fromFile", fromFile).put("fromPos", fromPos).put("lastFile", lastFile)
                .put("lastEndPos", lastEndPos).put("truncatedTail", truncatedTail)
                .put("lastTransactionComplete", lastTransactionComplete).put("gtids", gtids);
        if (appliedTo != null) {
            json.put("appliedTo", appliedTo).put("appliedEvents", appliedEvents).put("appliedTransactions", appliedTransactions)
                    .put("skipped", skipped);
        }
        return json;
    }
}
