package io.mhaserverless.core.topology;

/** One broken (ERROR) or doubtful (WARN) rule on one server. */
public record Finding(HealthRule rule, Severity severity, String server, String message) {

    public enum Severity { WARN, ERROR }

    @Override
    public String toString() {
        return "[" + severity + "] " + rule.id() + ": " + server + ": " + message;
    }
}
