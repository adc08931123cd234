package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What every subcommand prints when it fails: status "error" (exit 1 or 2) or "not-found"
 * (exit {@link ExitCodes#POSITION_NOT_FOUND}); the error is one line naming the file, argument or host.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorAnswer(String status, String error) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("error", error);
    }
}
