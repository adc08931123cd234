package io.mhaserverless.core.config;

import java.util.Optional;

/**
 * A MySQL account. The password is either inline (local use) or the name/ARN of a Secrets Manager
 * secret; {@link #toString()} never shows it, so a record printed into a log or report leaks nothing.
 */
public record Credentials(String user, Optional<String> password, Optional<String> secretId) {

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isPresent() ? "***" : "none")
                + secretId.map(s -> ", secret=" + s).orElse("") + "]";
    }
}
