package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** check-master's answer (exit 0 either way): whether the master greeted a TCP connection from the agent's host. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckMasterAnswer(String status, boolean reachable, String detail, long elapsedMs) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("reachable", reachable).put("detail", detail).put("elapsedMs", elapsedMs);
    }
}
