package io.mhaserverless.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentCallTest {

    @Test
    void saveBinlogNeedsNoCredentials() {
        AgentCall call = AgentCall.saveBinlog("/var/lib/mysql", "mysql-bin", "mysql-bin.000002:1234", "/var/tmp/mha/db1.binlog");
        assertThat(call.argv()).containsExactly("save-binlog", "--binlog-dir", "/var/lib/mysql", "--binlog-prefix", "mysql-bin",
                "--from", "mysql-bin.000002:1234", "--out", "/var/tmp/mha/db1.binlog");
        assertThat(call.withCredentials()).isFalse();
    }

    @Test
    void saveBinlogAndApplyIsOneCallWithCredentials() {
        AgentCall call = AgentCall.saveBinlogAndApply("/var/lib/mysql", "mysql-bin", "mysql-bin.000002:1234", "/var/tmp/mha/db1.binlog",
                "10.0.1.12", 3306, Optional.of("0-1-7"), 600);
        assertThat(call.argv()).containsExactly("save-binlog", "--binlog-dir", "/var/lib/mysql", "--binlog-prefix", "mysql-bin",
                "--from", "mysql-bin.000002:1234", "--out", "/var/tmp/mha/db1.binlog", "--apply-to", "10.0.1.12:3306",
                "--skip-gtids", "0-1-7", "--timeout-seconds", "600");
        assertThat(call.withCredentials()).isTrue();
        assertThat(AgentCall.saveBinlogAndApply("/d", "b", "b.1:4", "/o", "h", 1, Optional.empty(), 0).arguments())
                .containsExactly("--binlog-dir", "/d", "--binlog-prefix", "b", "--from", "b.1:4", "--out", "/o", "--apply-to", "h:1",
                        "--timeout-seconds", "1");
        assertThat(ExitCodes.isAnswer(Subcommand.SAVE_BINLOG, ExitCodes.NOT_SAVED)).isFalse();
    }

    @Test
    void applyDiffLeavesOutWhatIsAbsentAndAlwaysBoundsItsOwnTime() {
        AgentCall full = AgentCall.applyDiff("10.0.1.12", 3306,
                Optional.of(new AgentCall.RelayRange("/r/relay-bin.index", "mysql-bin.000001:100", Optional.of("mysql-bin.000001:900"))),
                Optional.of("/var/tmp/mha/saved.binlog"), Optional.of("0-1-7"), 600);
        assertThat(full.arguments()).containsExactly("--target-host", "10.0.1.12", "--target-port", "3306",
                "--relay-log-index", "/r/relay-bin.index", "--from-source", "mysql-bin.000001:100", "--until-source", "mysql-bin.000001:900",
                "--binlog", "/var/tmp/mha/saved.binlog", "--skip-gtids", "0-1-7", "--timeout-seconds", "600");
        assertThat(full.withCredentials()).isTrue();

        AgentCall bare = AgentCall.applyDiff("h", 1, Optional.empty(), Optional.of("/b"), Optional.of(" "), 0);
        assertThat(bare.arguments()).containsExactly("--target-host", "h", "--target-port", "1", "--binlog", "/b", "--timeout-seconds", "1");
    }

    @Test
    void ipAndCheckMasterCalls() {
        assertThat(AgentCall.bindIp("10.0.1.50", "eth0").argv()).containsExactly("bind-ip", "--address", "10.0.1.50", "--interface", "eth0");
        assertThat(AgentCall.unbindIp("10.0.1.50", "eth0").subcommand()).isEqualTo(Subcommand.UNBIND_IP);
        assertThat(AgentCall.checkMaster("db1", 3306).argv()).containsExactly("check-master", "--host", "db1", "--port", "3306");
        assertThat(AgentCall.bindIpConfirmed("10.0.1.50", "eth0").arguments()).containsExactly("--address", "10.0.1.50", "--interface",
                "eth0", "--confirm-metadata");
        assertThat(AgentCall.selfCheck(java.util.Optional.of("/var/lib/mysql")).arguments()).containsExactly("--binlog-dir", "/var/lib/mysql");
        assertThat(AgentCall.selfCheck(java.util.Optional.empty()).subcommand()).isEqualTo(Subcommand.SELF_CHECK);
        assertThat(Subcommand.ALL).hasSize(8).doesNotHaveDuplicates();
    }

    @Test
    void nothingNewerIsAnAnswerOfSaveBinlogOnly() {
        assertThat(ExitCodes.isAnswer(Subcommand.SAVE_BINLOG, ExitCodes.NOTHING_NEWER)).isTrue();
        assertThat(ExitCodes.isAnswer(Subcommand.APPLY_DIFF, ExitCodes.NOTHING_NEWER)).isFalse();
        assertThat(ExitCodes.isAnswer(Subcommand.APPLY_DIFF, ExitCodes.OK)).isTrue();
        assertThat(ExitCodes.isAnswer(Subcommand.CHECK_MASTER, ExitCodes.ERROR)).isFalse();
        assertThat(List.of(ExitCodes.OK, ExitCodes.ERROR, ExitCodes.USAGE, ExitCodes.NOTHING_NEWER, ExitCodes.POSITION_NOT_FOUND))
                .containsExactly(0, 1, 2, 10, 12);
    }
}
