package io.mhaserverless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The switchover benchmark runs end to end on real servers and prints its numbers (which nothing asserts). */
class SwitchoverBenchTest {

    @Test
    void printsEachRunAndTheSpreadAndLosesNothing() {
        DemoRun run = DemoRun.of("bench", "switchover", "--runs", "2", "--replicas", "1", "--pause-ms", "300");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("machine: ", "inputs: 2 switchovers db1 <-> db2, 1 master + 1 replicas")
                .containsPattern("run  1: db1 -> db2 \\| write block +\\d+ ms \\| write-unavailable window +\\d+ ms")
                .containsPattern("run  2: db2 -> db1 \\|")
                .containsPattern("write block \\(read_only ON -> new master writable\\) +median")
                .contains("acknowledged writes lost: 0; acknowledged by the old master after its read_only took effect: 0")
                .contains("checksums identical on every server");
    }
}
