package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * apply-diff's answer.
 *
 * @param appliedTo "host:port", or null with --dry-run
 * @param skipped   event groups left out because the target already had their GTID
 * @param relayFile where the relay-log diff started; null (and not written) without a relay diff
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplyDiffAnswer(String status, long events, long transactions, long bytes, String appliedTo, String out,
                              boolean endsAtTransactionBoundary, long skipped, String gtids, String relayFile, Long relayPos) {

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("status", status).put("events", events).put("transactions", transactions)
                .put("bytes", bytes).put("appliedTo", appliedTo).put("out", out)
                .put("endsAtTransactionBoundary", endsAtTransactionBoundary).put("skipped", skipped).put("gtids", gtids);
        if (relayFile != null) {
            json.put("relayFile", relayFile).put("relayPos", relayPos);
        }
        return json;
    }
}
