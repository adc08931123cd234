package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCheckTest {

    @Test
    void reportsTheVersionAndCountsTheIndexedBinlogs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mysql-bin.index"), "./mysql-bin.000001\n./mysql-bin.000002\n");
        Files.write(dir.resolve("mysql-bin.000001"), new byte[] {(byte) 0xfe, 'b', 'i', 'n'});
        Files.write(dir.resolve("mysql-bin.000002"), new byte[] {(byte) 0xfe, 'b', 'i', 'n'});
        Files.writeString(dir.resolve("ib_logfile0"), "not a binlog");

        AgentRun run = AgentRun.of("self-check", "--binlog-dir", dir.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("status").asText()).isEqualTo("ok");
        assertThat(run.json().path("version").asText()).startsWith("mha-node-agent ");
        assertThat(run.json().path("binlogDir").asText()).isEqualTo(dir.toString());
        assertThat(run.json().path("binlogFiles").asLong()).isEqualTo(2);
    }

    @Test
    void withoutABinlogDirOnlyTheAgentIsChecked() {
        AgentRun run = AgentRun.of("self-check");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.json().path("binlogDir").asText()).isEmpty();
    }

    @Test
    void aMissingBinlogDirIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-dir");
        AgentRun run = AgentRun.of("self-check", "--binlog-dir", missing.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.json().path("error").asText()).contains(missing.toString(), "does not exist");
    }
}
