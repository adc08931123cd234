package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** find-relay-position's answer: the relay file and offset right after the source coordinate. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FindRelayPositionAnswer(String status, String relayFile, long relayPos, String sourceFile, long sourcePos,
                                      String relayPath, long filesScanned) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("relayFile", relayFile).put("relayPos", relayPos)
                .put("sourceFile", sourceFile).put("sourcePos", sourcePos).put("relayPath", relayPath)
                .put("filesScanned", filesScanned);
    }
}
