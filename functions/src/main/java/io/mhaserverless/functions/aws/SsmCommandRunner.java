package io.mhaserverless.functions.aws;

import io.mhaserverless.core.port.NodeAgent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/**
 * Runs one SSM Run Command on one instance and waits for it: SendCommand, then GetCommandInvocation
 * every 250 ms for the first 10 s, then backing off to every 2 s, until a terminal status or the deadline.
 * A failover's commands mostly end within a few seconds and each one is on its critical path: with
 * the earlier backoff (200 ms doubling) a command that ended was seen 0.6 s later on average
 * (docs/performance.md, the modelled AWS time). Four calls a second per command in flight stays
 * little; a poll SSM throttles anyway (past the SDK's retries) is taken as "no answer yet", not as a failure.
 *
 * <p>What SSM could not deliver is {@link NodeAgent.Unreachable}: an instance SSM does not manage or
 * that is not connected (InvalidInstanceId), StatusDetails Undeliverable or DeliveryTimedOut, and a
 * deadline passed before the command started. A command that ran — successfully or not — comes back
 * as an {@link Invocation}; one that started but did not finish by the deadline is cancelled and is
 * {@link NodeAgent.Failed}: the host answered, so its files may still be read by a later try.
 */
public final class SsmCommandRunner {

    static final Duration FAST_POLL = Duration.ofMillis(250);
    static final Duration FAST_FOR = Duration.ofSeconds(10);
    static final Duration MAX_POLL = Duration.ofSeconds(2);
    /** SendCommand's TimeoutSeconds (time to start on the instance) has a floor of 30 s. */
    private static final long MIN_DELIVERY_TIMEOUT_SECONDS = 30;
    private static final Set<String> NOT_DELIVERED = Set.of("Undeliverable", "DeliveryTimedOut", "InvalidPlatform");
    private static final Set<String> WAITING = Set.of("Pending", "Delayed");
    private static final Set<String> TERMINAL = Set.of("Success", "Failed", "Cancelled", "TimedOut");
    private static final String SERVICE = "SSM";

    private final SsmClient ssm;
    private final String documentName;
    private final Duration deadline;

    public SsmCommandRunner(SsmClient ssm, String documentName, Duration deadline) {
        this.ssm = ssm;
        this.documentName = documentName;
        this.deadline = deadline;
    }

    public Invocation run(String instanceId, String target, String comment, Map<String, List<String>> parameters) {
        return run(instanceId, target, comment, parameters, deadline, Optional.empty());
    }

    /** A finished invocation. {@code responseCode} is the process's exit code (-1 when none). */
    public record Invocation(String commandId, String status, String statusDetails, int responseCode,
                             String stdout, String stderr) {
        public boolean succeeded() {
            return "Success".equals(status);
        }
    }

    /**
     * @param target  how messages name the host, e.g. {@code db1(10.0.1.11:3306) [i-0abc]}
     * @param comment SSM's Comment (shown in the console), cut to its 100 characters
     */
    /**
     * @param deadline     this command's budget, from SendCommand to a terminal status
     * @param pendingLimit a command still undelivered (Pending, Delayed, or not yet visible) after this
     *                     long is cancelled and the host is {@link NodeAgent.Unreachable}: for the dead
     *                     master's host, which SSM accepts commands for even when it is stopped
     */
    public Invocation run(String instanceId, String target, String comment, Map<String, List<String>> parameters,
                          Duration deadline, Optional<Duration> pendingLimit) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        String commandId;
        try {
            commandId = ssm.sendCommand(r -> r.instanceIds(instanceId)
                    .documentName(documentName)
                    .parameters(parameters)
                    .comment(comment.length() > 100 ? comment.substring(0, 100) : comment)
                    .timeoutSeconds((int) Math.max(MIN_DELIVERY_TIMEOUT_SECONDS, ceilSeconds(deadline))))
                    .command().commandId();
        } catch (InvalidInstanceIdException e) {
            // SSM's answer for an instance that is stopped, terminated, not managed or not connected.
            String why = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            throw new NodeAgent.Unreachable("SSM cannot reach " + target + ": " + AwsErrors.code(e) + (why == null ? "" : " (" + why + ")"));
        } catch (SdkException e) {
            throw AwsErrors.map(SERVICE, "SendCommand", e);
        }

        Duration pause = FAST_POLL;
        String status = "Pending";
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            sleep(Math.min(pause.toNanos(), left));
            pause = nextPause(pause, System.nanoTime() - start);
            GetCommandInvocationResponse r = invocation(commandId, instanceId);
            if (r == null) {
                if (pendingLimit.isPresent() && System.nanoTime() - start >= pendingLimit.get().toNanos()) {
                    cancel(commandId, instanceId);
                    throw new NodeAgent.Unreachable("SSM command " + commandId + " to " + target + " was not even listed after "
                            + pendingLimit.get().toMillis() + " ms: its host does not answer; cancelled");
                }
                continue; // not visible yet: GetCommandInvocation is eventually consistent after SendCommand
            }
            status = r.statusAsString();
            // The API says "DeliveryTimedOut"; the user guide writes "Delivery Timed Out": accept both.
            String details = r.statusDetails() == null ? "" : r.statusDetails().replace(" ", "");
            if (NOT_DELIVERED.contains(details) || ("TimedOut".equals(status) && !"ExecutionTimedOut".equals(details))) {
                throw new NodeAgent.Unreachable("SSM could not deliver command " + commandId + " to " + target + ": "
                        + status + " / " + details);
            }
            if (TERMINAL.contains(status)) {
                return new Invocation(commandId, status, details, r.responseCode() == null ? -1 : r.responseCode(),
                        nullToEmpty(r.standardOutputContent()), nullToEmpty(r.standardErrorContent()));
            }
            if (WAITING.contains(status) && pendingLimit.isPresent() && System.nanoTime() - start >= pendingLimit.get().toNanos()) {
                cancel(commandId, instanceId);
                throw new NodeAgent.Unreachable("SSM command " + commandId + " was still " + status + " on " + target + " after "
                        + pendingLimit.get().toMillis() + " ms: its host does not answer (a stopped instance takes commands"
                        + " and never runs them); cancelled");
            }
        }
        cancel(commandId, instanceId);
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (WAITING.contains(status)) {
            throw new NodeAgent.Unreachable("SSM command " + commandId + " did not start on " + target + " within "
                    + ms + " ms (" + status + "); cancelled");
        }
        throw new NodeAgent.Failed("SSM command " + commandId + " on " + target + " did not finish within " + ms
                + " ms (" + status + "); cancelled");
    }

    /** Every 250 ms while a command may still be one of a failover's short ones, then doubling up to 2 s. */
    static Duration nextPause(Duration pause, long elapsedNanos) {
        if (elapsedNanos < FAST_FOR.toNanos()) {
            return FAST_POLL;
        }
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(MAX_POLL) > 0 ? MAX_POLL : doubled;
    }

    private GetCommandInvocationResponse invocation(String commandId, String instanceId) {
        try {
            return ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instanceId));
        } catch (InvocationDoesNotExistException notYet) {
            return null;
        } catch (SdkException e) {
            if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s && s.isThrottlingException()) {
                return null; // a poll SSM throttled past the SDK's retries tells nothing yet: ask again, the deadline still bounds it
            }
            throw AwsErrors.map(SERVICE, "GetCommandInvocation", e);
        }
    }

    /** A command that outlived our wait must not act later (an apply-diff after we moved on); best effort. */
    private void cancel(String commandId, String instanceId) {
        try {
            ssm.cancelCommand(r -> r.commandId(commandId).instanceIds(instanceId));
        } catch (SdkException ignored) {
            // Finished meanwhile, or SSM is unwell: the document's execution timeout still bounds it.
        }
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeAgent.Failed("interrupted while waiting for an SSM command");
        }
    }
}
