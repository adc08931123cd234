package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * save-binlog's answer; status "ok" (exit 0) or "nothing-newer" (exit {@link ExitCodes#NOTHING_NEWER}, no file).
 *
 * @param gtids the saved transactions' GTIDs in the flavor's notation ("" when the server had none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SaveBinlogAnswer(String status, String out, long bytes, long events, long transactions, String fromFile,
                               long fromPos, String lastFile, long lastEndPos, boolean truncatedTail,
                               boolean lastTransactionComplete, String gtids) {

    public static final String NOTHING_NEWER = "nothing-newer";

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("out", out).put("bytes", bytes).put("events", events)
                .put("transactions", transactions).put("fromFile", fromFile).put("fromPos", fromPos).put("lastFile", lastFile)
                .put("lastEndPos", lastEndPos).put("truncatedTail", truncatedTail)
                .put("lastTransactionComplete", lastTransactionComplete).put("gtids", gtids);
    }
}
