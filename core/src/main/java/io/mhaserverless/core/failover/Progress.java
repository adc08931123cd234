package io.mhaserverless.core.failover;

/** Where phases say what they are doing: the CLI's console, a Lambda's log. */
public interface Progress {

    void info(String phase, String message);

    Progress SILENT = (phase, message) -> {
    };
}
