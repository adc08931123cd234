package io.mhaserverless.core.probe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The name of the failover of one death: cluster, dead master, and since when that master had
 * been alive. Every prober that sees the same death (a successor after a crash, a retried start)
 * derives the same name, and Step Functions refuses a second execution of it: exactly once.
 * A master that answers again and dies later gets a new name.
 */
public final class ExecutionName {

    /** Step Functions' limit; our names ({@code Names.RULE}: letters, digits, '.', '_', '-') are all valid in it. */
    static final int MAX = 80;

    private ExecutionName() {
    }

    public static String of(String cluster, String master, Instant aliveSince) {
        String epoch = Long.toString(aliveSince.getEpochSecond());
        String full = cluster + "-" + master + "-" + epoch;
        if (full.length() <= MAX) {
            return full;
        }
        String hash = sha256(full).substring(0, 12);
        String head = (cluster + "-" + master);
        return head.substring(0, MAX - hash.length() - epoch.length() - 2) + "-" + hash + "-" + epoch;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
