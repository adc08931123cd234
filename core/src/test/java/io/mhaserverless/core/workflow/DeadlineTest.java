package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void theSoonerBoundWins() {
        Deadline minute = Deadline.in(Duration.ofMinutes(1));
        Deadline hour = Deadline.in(Duration.ofHours(1));
        assertThat(minute.min(hour)).isSameAs(minute);
        assertThat(hour.min(minute)).isSameAs(minute);
        assertThat(Deadline.NONE.min(minute)).isSameAs(minute);
        assertThat(minute.min(Deadline.NONE)).isSameAs(minute);
        assertThat(Deadline.NONE.bounded()).isFalse();
        assertThat(minute.left(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(minute.left(Duration.ofHours(1))).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(Deadline.in(Duration.ZERO).left(Duration.ofHours(1))).isZero();
        assertThat(Deadline.NONE.left(Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theTasksBudgetComesFromThePayloadLessTheMargin() {
        var json = FailoverWorkflow.json();
        Deadline d = FailoverWorkflow.taskDeadline(json.createObjectNode().put("step", "FenceDeadMaster").put("taskTimeoutSeconds", 120));
        assertThat(d.bounded()).isTrue();
        assertThat(d.left(Duration.ofHours(1))).isLessThanOrEqualTo(Duration.ofSeconds(120).minus(Deadline.MARGIN));
        assertThat(FailoverWorkflow.taskDeadline(json.createObjectNode().put("step", "Report")).bounded()).isFalse();
        assertThat(Deadline.withMargin(Duration.ofSeconds(2)).left(Duration.ofHours(1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
}
