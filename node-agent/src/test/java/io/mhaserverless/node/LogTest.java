package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void theStampIsTheUtcTimeOfDay() {
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        for (long t : new long[] {0, 1, 999, 86_399_999, 1_764_595_742_123L, 1_764_633_599_999L, -1}) {
            assertThat(Log.stamp(t)).as("%d", t).isEqualTo(utc.format(Instant.ofEpochMilli(t)));
        }
    }
}
