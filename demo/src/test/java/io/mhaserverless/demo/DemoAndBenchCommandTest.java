package io.mhaserverless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's first command and the failover benchmark, run end to end on real servers. */
class DemoAndBenchCommandTest {

    @Test
    void demoKillsTheMasterFailsOverAndTheEndpointReachesTheNewMaster() {
        DemoRun run = DemoRun.of("demo", "--replicas", "2", "--writer-port", "0", "--load-seconds", "1");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Replication health is OK.")
                .contains("verdict: dead (3 failed pings")
                .contains("still watching: now db")
                .contains("identical on every survivor")
                .containsPattern("Figures +outcome succeeded, failover \\d+ ms, writable after \\d+ ms, replicas not recovered 0");
        assertThat(run.err()).doesNotContain("SLF4J");
        // whichever replica was latest when the master died: the endpoint must lead to that one
        java.util.regex.Matcher promoted = java.util.regex.Pattern.compile("Master failover to (db[23])\\(").matcher(run.out());
        assertThat(promoted.find()).as(run.out()).isTrue();
        String newMaster = promoted.group(1);
        assertThat(run.out()).containsPattern("-> server_id " + newMaster.substring(2) + ", port \\d+, read_only 0: "
                + newMaster + ", the new master");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("mariadbd"))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("mha-sandbox/jvm-"
                        + ProcessHandle.current().pid() + "/")))
                .as("the demo leaves no server running").isEmpty();
    }

    @Test
    void benchPrintsMedianAndSpreadOfEachStep() {
        DemoRun run = DemoRun.of("bench", "failover", "--runs", "1", "--replicas", "1", "--load-ms", "300");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("machine: ", "inputs: 1 runs, 1 master + 1 replicas")
                .containsPattern("run 1: detection +\\d+ ms \\| new master db2 writable after +\\d+ ms")
                .containsPattern("detection \\(kill -> confirmed dead\\) +median")
                .containsPattern("failover \\(confirmed -> all replicas repointed\\) +median")
                .containsPattern("kill -> new master writable +median")
                .as("each state the failover ran has its line")
                .containsPattern("  CheckConfiguration +median +\\d+\\.\\d ms")
                .containsPattern("  RecoverNewMaster +median")
                .containsPattern("  before \\(confirmed -> first state\\) +median")
                .containsPattern("(tail \\d+ tx|no tail) \\| node-agent calls \\d+, \\d+ on the dead master's host");
    }

    @Test
    void demoRejectsBadArguments() {
        DemoRun run = DemoRun.of("demo", "--replicas", "9");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--replicas must be 1..4, was 9");
    }
}
