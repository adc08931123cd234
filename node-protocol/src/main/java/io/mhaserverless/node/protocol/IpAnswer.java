package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * bind-ip's and unbind-ip's answer.
 *
 * @param changed whether the address was added (bind) or removed (unbind)
 * @param arp     "sent", "arping not installed", "failed: …" (bind) or "not needed" (unbind)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpAnswer(String status, boolean changed, String arp, String address,
                       @JsonProperty("interface") String networkInterface) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("changed", changed).put("arp", arp).put("address", address)
                .put("interface", networkInterface);
    }
}
