package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The contract every subcommand shares: one JSON line on stdout, exit 2 for usage errors, exit codes in --help. */
class UsageTest {

    @ParameterizedTest
    @ValueSource(strings = {"save-binlog", "find-relay-position", "apply-diff", "purge-relay-logs", "check-master", "bind-ip",
            "unbind-ip"})
    void withoutItsRequiredOptionsACommandExitsTwoWithOneJsonLineNamingThem(String command) {
        AgentRun run = AgentRun.of(command);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.json().path("status").asText()).isEqualTo("error");
        assertThat(run.json().path("error").asText()).startsWith("usage: ").contains("--");
        assertThat(run.stderr()).contains("Usage: mha-node-agent " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"save-binlog", "find-relay-position", "apply-diff", "purge-relay-logs", "check-master", "bind-ip",
            "unbind-ip", "self-check", "bench"})
    void helpListsTheExitCodes(String command) {
        AgentRun run = AgentRun.of(command, "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("Exit codes:").contains("  0 ").contains("  2 ");
    }

    @Test
    void theExitCodesOfEachCommandAreTheOnesItUses() {
        assertThat(AgentRun.of("save-binlog", "--help").stdout()).contains("  10 ");
        assertThat(AgentRun.of("find-relay-position", "--help").stdout()).contains("  12 ");
        assertThat(AgentRun.of("apply-diff", "--help").stdout()).contains("  12 ");
        assertThat(AgentRun.of("--help").stdout()).contains("  10 ").contains("  12 ");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        for (List<String> args : List.of(List.of("rotate-logs"), List.of("check-master", "--host", "h", "--port", "1", "--password", "x"))) {
            AgentRun run = AgentRun.of(args);
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.json().path("error").asText()).contains(args.get(args.size() == 1 ? 0 : 5));
        }
    }

    @Test
    void bindIpChecksItsInputBeforeTouchingAnything() {
        SaveBinlogTest.assertError(AgentRun.of("bind-ip", "--address", "10.0.0.300", "--interface", "eth0"), 2, "10.0.0.300");
        SaveBinlogTest.assertError(AgentRun.of("unbind-ip", "--address", "10.0.0.5", "--interface", "eth0; reboot"), 2, "eth0; reboot");
        SaveBinlogTest.assertError(AgentRun.of("bind-ip", "--address", "10.0.0.5", "--interface", "nosuch-if9"), 1, "nosuch-if9");
    }
}
