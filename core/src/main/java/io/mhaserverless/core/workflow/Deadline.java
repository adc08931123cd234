package io.mhaserverless.core.workflow;

import java.time.Duration;

/**
 * When the step that is running must have answered: the sooner of the time its Lambda invocation
 * has left ({@code Context.getRemainingTimeInMillis()}) and the Task's TimeoutSeconds (asl.json
 * passes it in the payload as {@code taskTimeoutSeconds}), less a margin to answer in. Every wait
 * inside the step (an SSM command, the writer IP's settling) is bounded by it, so a step gives up
 * and says why before Step Functions times the Task out (States.Timeout, which no Retry covers)
 * and leaves an orphaned invocation acting on its own. Monotonic: measured with {@link System#nanoTime()}.
 */
public record Deadline(long nanoTime) {

    /** Time to log, answer and return after the last wait. */
    public static final Duration MARGIN = Duration.ofSeconds(5);
    /** No bound: the waits keep their own timeouts. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    /** {@code left} from now. */
    public static Deadline in(Duration left) {
        long nanos = left.isNegative() ? 0 : left.toNanos();
        return new Deadline(System.nanoTime() + nanos);
    }

    /** {@code budget} less {@link #MARGIN} from now, at least one second. */
    public static Deadline withMargin(Duration budget) {
        Duration left = budget.minus(MARGIN);
        return in(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }

    public boolean bounded() {
        return nanoTime != Long.MAX_VALUE;
    }

    /** The sooner of the two. */
    public Deadline min(Deadline other) {
        if (!bounded()) {
            return other;
        }
        if (!other.bounded()) {
            return this;
        }
        return nanoTime - other.nanoTime <= 0 ? this : other;
    }

    /** What is left, never negative; {@code limit} when unbounded. */
    public Duration left(Duration limit) {
        if (!bounded()) {
            return limit;
        }
        Duration left = Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
        return left.compareTo(limit) < 0 ? left : limit;
    }
}
