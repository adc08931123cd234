package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** How an execution ended: SUCCEEDED with its output, or FAILED / TIMED_OUT with an error and a cause. */
public record Execution(String arn, String status, JsonNode output, String error, String cause, List<Event> events) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String TIMED_OUT = "TIMED_OUT";

    public Execution {
        events = List.copyOf(events);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }
}
