package io.mhaserverless.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExecutionNameTest {

    private static final Instant SINCE = Instant.parse("2026-11-30T10:15:30Z");

    @Test
    void oneDeathHasOneNameWhoeverDetectsIt() {
        assertThat(ExecutionName.of("app1", "db1", SINCE)).isEqualTo("app1-db1-" + SINCE.getEpochSecond())
                .isEqualTo(ExecutionName.of("app1", "db1", Instant.parse("2026-11-30T10:15:30.999Z")));
    }

    @Test
    void aMasterThatCameBackDiesUnderANewName() {
        assertThat(ExecutionName.of("app1", "db1", SINCE)).isNotEqualTo(ExecutionName.of("app1", "db1", SINCE.plusSeconds(60)));
        assertThat(ExecutionName.of("app1", "db1", SINCE)).isNotEqualTo(ExecutionName.of("app1", "db2", SINCE));
    }

    @Test
    void longNamesAreShortenedToStepFunctionsLimitAndStayDistinct() {
        String cluster = "c".repeat(64);
        String a = ExecutionName.of(cluster, "m".repeat(64), SINCE);
        String b = ExecutionName.of(cluster, "m".repeat(63) + "n", SINCE);

        assertThat(a).hasSizeLessThanOrEqualTo(80).matches("[A-Za-z0-9._-]+").endsWith("-" + SINCE.getEpochSecond());
        assertThat(b).hasSizeLessThanOrEqualTo(80).isNotEqualTo(a);
    }
}
