package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.core.port.StateStore.LastFailover.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LastFailoverGuardTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final long MINUTES = 480;
    private static final String THIS_EXECUTION = "arn:aws:states:eu-west-1:1:execution:mha:this";
    private static final String EARLIER_EXECUTION = "arn:aws:states:eu-west-1:1:execution:mha:earlier";

    private static Optional<LastFailover> last(Status status, Duration ago, boolean acknowledged) {
        return Optional.of(new LastFailover("app1", EARLIER_EXECUTION, NOW.minus(ago), status, acknowledged));
    }

    private static void check(Optional<LastFailover> last) {
        LastFailoverGuard.check(last, THIS_EXECUTION, MINUTES, false, NOW);
    }

    @Test
    void noEarlierFailoverPasses() {
        assertThatCode(() -> check(Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void unacknowledgedFailedFailoverRefusesAndSaysHowToGoOn() {
        assertThatThrownBy(() -> check(last(Status.ERROR, Duration.ofMinutes(5), false)))
                .isInstanceOf(FailoverRefused.class)
                .hasMessageStartingWith("the last failover of app1 failed (" + EARLIER_EXECUTION)
                .hasMessageContaining("`mha ack --cluster app1`")
                .hasMessageContaining("ignoreLastFailover=true");
    }

    @Test
    void unacknowledgedFailedFailoverRefusesHoweverLongAgoItWas() {
        // unlike a completed one, a failed one has no window: it waits for an operator
        assertThatThrownBy(() -> check(last(Status.ERROR, Duration.ofDays(30), false))).isInstanceOf(FailoverRefused.class);
    }

    @Test
    void acknowledgedFailedFailoverPasses() {
        assertThatCode(() -> check(last(Status.ERROR, Duration.ofMinutes(5), true))).doesNotThrowAnyException();
    }

    @Test
    void completedFailoverWithinTheWindowRefuses() {
        assertThatThrownBy(() -> check(last(Status.COMPLETED, Duration.ofMinutes(479), false)))
                .isInstanceOf(FailoverRefused.class)
                .hasMessageStartingWith("the last failover of app1 completed 479 minutes ago (" + EARLIER_EXECUTION + ")")
                .hasMessageContaining("lastFailoverMinutes=480")
                .hasMessageContaining("ignoreLastFailover=true");
    }

    @Test
    void completedFailoverOutsideTheWindowPasses() {
        assertThatCode(() -> check(last(Status.COMPLETED, Duration.ofMinutes(481), false))).doesNotThrowAnyException();
    }

    @Test
    void windowEndsAtExactlyLastFailoverMinutes() {
        // whole minutes elapsed are compared: 479 min 59 s is still inside, 480 min is out
        assertThatThrownBy(() -> check(last(Status.COMPLETED, Duration.ofMinutes(480).minusSeconds(1), false)))
                .isInstanceOf(FailoverRefused.class)
                .hasMessageContaining("completed 479 minutes ago");
        assertThatCode(() -> check(last(Status.COMPLETED, Duration.ofMinutes(480), false))).doesNotThrowAnyException();
    }

    @Test
    void zeroLastFailoverMinutesNeverWaitsForACompletedFailover() {
        assertThatCode(() -> LastFailoverGuard.check(last(Status.COMPLETED, Duration.ZERO, false), THIS_EXECUTION, 0, false, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void acknowledgedCompletedFailoverNoLongerBlocks() {
        assertThatCode(() -> check(last(Status.COMPLETED, Duration.ofMinutes(1), true))).doesNotThrowAnyException();
    }

    @Test
    void retriedFirstStateMeetingItsOwnRecordPasses() {
        Optional<LastFailover> own = Optional.of(new LastFailover("app1", THIS_EXECUTION, NOW.minusSeconds(10), Status.ERROR, false));

        assertThatCode(() -> check(own)).doesNotThrowAnyException();
    }

    @Test
    void ignoreLastFailoverPassesWhateverTheRecordSays() {
        for (Optional<LastFailover> last : java.util.List.of(last(Status.ERROR, Duration.ofMinutes(1), false),
                last(Status.COMPLETED, Duration.ofMinutes(1), false))) {
            assertThatCode(() -> LastFailoverGuard.check(last, THIS_EXECUTION, MINUTES, true, NOW)).doesNotThrowAnyException();
        }
    }
    @Test
    void aSwitchoverOrARejoinWaitsOnlyForAFailedUnacknowledgedFailoverAndSaysWhichToRestart() {
        assertThatCode(() -> LastFailoverGuard.checkBefore("rejoin", last(Status.COMPLETED, Duration.ofMinutes(1), false),
                THIS_EXECUTION, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> LastFailoverGuard.checkBefore("rejoin", last(Status.ERROR, Duration.ofMinutes(1), false),
                THIS_EXECUTION, false)).isInstanceOf(FailoverRefused.class)
                .hasMessageEndingWith("or start the rejoin with ignoreLastFailover=true");
        assertThatCode(() -> LastFailoverGuard.checkBefore("rejoin", last(Status.ERROR, Duration.ofMinutes(1), true),
                THIS_EXECUTION, false)).doesNotThrowAnyException();
    }
}
