package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** purge-relay-logs' answer: the relay-log names the server purged. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PurgeRelayLogsAnswer(String status, List<String> purged, String detail) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("purged", purged).put("detail", detail);
    }
}
