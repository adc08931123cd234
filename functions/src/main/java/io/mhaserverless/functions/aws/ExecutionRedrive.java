package io.mhaserverless.functions.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * {@code mha redrive} on AWS: Step Functions' RedriveExecution of a cluster's latest execution when
 * it is FAILED, TIMED_OUT or ABORTED. It goes on from the state that failed, with the document that
 * state was given; every phase is safe to run twice. Only the cluster's latest execution is
 * considered: one that failed before a later one succeeded is history, not work left.
 */
public final class ExecutionRedrive {

    private static final String SERVICE = "Step Functions";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many of the state machine's executions, newest first, are looked through for the cluster's. */
    static final int LOOK_BACK = 200;
    static final List<String> REDRIVABLE = List.of("FAILED", "TIMED_OUT", "ABORTED");

    /** What was done: redriven, or why not; {@code executionArn} null when the cluster has no execution. */
    public record Outcome(boolean redriven, String executionArn, String status, String message) {
    }

    private final SfnClient sfn;

    public ExecutionRedrive(SfnClient sfn) {
        this.sfn = sfn;
    }

    public Outcome redrive(String stateMachineArn, String cluster) {
        String token = null;
        int seen = 0;
        do {
            String page = token;
            ListExecutionsResponse list = AwsErrors.call(SERVICE, "ListExecutions",
                    () -> sfn.listExecutions(r -> r.stateMachineArn(stateMachineArn).maxResults(100).nextToken(page)));
            for (ExecutionListItem e : list.executions()) {
                if (++seen > LOOK_BACK) {
                    break;
                }
                if (cluster.equals(clusterOf(e))) {
                    return act(e, cluster);
                }
            }
            token = list.nextToken();
        } while (token != null && seen < LOOK_BACK);
        return new Outcome(false, null, null, "no execution of cluster " + cluster + " among the latest " + LOOK_BACK + " of "
                + stateMachineArn + ": nothing to redrive");
    }

    private Outcome act(ExecutionListItem e, String cluster) {
        String status = e.statusAsString();
        if (REDRIVABLE.contains(status)) {
            AwsErrors.call(SERVICE, "RedriveExecution", () -> sfn.redriveExecution(r -> r.executionArn(e.executionArn())));
            return new Outcome(true, e.executionArn(), status, "redriven: the " + status + " execution " + e.executionArn()
                    + " of cluster " + cluster + " goes on from the state that stopped it");
        }
        String why = switch (status) {
            case "RUNNING" -> "it is still running; wait for it to end";
            case "SUCCEEDED" -> "it succeeded (a failover that failed or was refused still ends SUCCEEDED only if it reported;"
                    + " read its report, and `mha ack` once you have looked)";
            case "PENDING_REDRIVE" -> "it is being redriven already";
            default -> "its status is " + status;
        };
        return new Outcome(false, e.executionArn(), status, "the latest execution of cluster " + cluster + " (" + e.executionArn()
                + ") is not redriven: " + why);
    }

    /** The cluster an execution works on: its input's {@code cluster}. */
    private String clusterOf(ExecutionListItem e) {
        String input = AwsErrors.call(SERVICE, "DescribeExecution", () -> sfn.describeExecution(r -> r.executionArn(e.executionArn())))
                .input();
        try {
            JsonNode json = JSON.readTree(input == null ? "{}" : input);
            return json.path("cluster").asText(null);
        } catch (IOException unreadable) {
            return null;
        }
    }
}
