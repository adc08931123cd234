package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** One entry of a state's Retry, with the defaults Step Functions documents (1 s, 3 attempts, ×2). */
record Retrier(JsonNode errorEquals, double intervalSeconds, int maxAttempts, double backoffRate, Double maxDelaySeconds,
               boolean fullJitter) {

    static Retrier of(JsonNode r) {
        return new Retrier(r.path("ErrorEquals"), r.path("IntervalSeconds").asDouble(1), r.path("MaxAttempts").asInt(3),
                r.path("BackoffRate").asDouble(2.0), r.has("MaxDelaySeconds") ? r.get("MaxDelaySeconds").asDouble() : null,
                "FULL".equals(r.path("JitterStrategy").asText("NONE")));
    }

    boolean covers(StatesError e, boolean taskState) {
        for (JsonNode name : errorEquals) {
            if (e.matches(name.asText(), taskState)) {
                return true;
            }
        }
        return false;
    }

    /** The wait before retry number {@code attempt + 1}: interval × rate^attempt, capped, then jittered. */
    Duration delay(int attempt) {
        double seconds = intervalSeconds * Math.pow(backoffRate, attempt);
        if (maxDelaySeconds != null) {
            seconds = Math.min(seconds, maxDelaySeconds);
        }
        if (fullJitter) {
            seconds = ThreadLocalRandom.current().nextDouble() * seconds;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
