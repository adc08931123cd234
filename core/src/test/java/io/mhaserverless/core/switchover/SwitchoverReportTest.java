package io.mhaserverless.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverReport;
import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import org.junit.jupiter.api.Test;

class SwitchoverReportTest {

    private static SwitchoverState switched() {
        return SwitchoverState.start("app1", "db2", true, 1, false, 0)
                .withTopology("db1", true, true, java.util.List.of("db2", "db3"), "db2", "chosen by the operator (newMaster)")
                .withSwitch("mysql-bin.000003:400", "0-1-10", "mysql-bin.000002:900", "0-1-10",
                        new SwitchoverState.WriteBlock(1000, 1_000_002_000L, 37, 5, 2))
                .withPhase(new PhaseRecord("CheckSwitchover", 0, 12, ""))
                .withPhase(new PhaseRecord("SwitchMaster", 12, 40, ""));
    }

    @Test
    void aSuccessSaysHowLongWritesWereBlocked() {
        FailoverReport r = SwitchoverReport.of(switched(), null, FailoverOutcome.SUCCEEDED, null, null, false);

        assertThat(r.subject()).isEqualTo("app1: MySQL master switchover db1 to db2 succeeded");
        assertThat(r.text()).contains("Writes were blocked for 37 ms: db1 read-only, 2 open transactions ended")
                .contains("db2 applied db1's binlog up to mysql-bin.000003:400 in 5 ms")
                .contains("Master switchover to db2 completed successfully.");
        assertThat(r.json()).contains("\"writeBlockMillis\" : 37", "\"mode\" : \"switchover\"", "\"rolledBack\" : false");
    }

    @Test
    void aRollbackSaysNothingChanged() {
        SwitchoverState checked = SwitchoverState.start("app1", "db2", false, 1, false, 0)
                .withTopology("db1", true, true, java.util.List.of("db2"), "db2", "a candidateMaster")
                .withPhase(new PhaseRecord("CheckSwitchover", 0, 12, ""));
        FailoverReport r = SwitchoverReport.of(checked, null, FailoverOutcome.FAILED, "SwitchMaster", "db2 did not catch up", true);

        assertThat(r.subject()).isEqualTo("app1: MySQL master switchover db1 to db2 rolled back");
        assertThat(r.text()).contains("Switchover stopped in SwitchMaster: db2 did not catch up")
                .contains("Nothing was changed: everything the switch did was undone, and db1 takes writes as before.")
                .doesNotContain("null");
    }

    @Test
    void aRefusalBeforeAnyChoiceNamesTheRequestedMasterAndNoUnknowns() {
        FailoverReport r = SwitchoverReport.of(SwitchoverState.start("app1", "db2", false, 1, false, 0), null, FailoverOutcome.REFUSED,
                "CheckSwitchover", "db3 is dead", false);
        assertThat(r.subject()).isEqualTo("app1: MySQL master switchover to db2 refused");
        assertThat(r.text()).startsWith("----- Switchover Report -----\n\napp1: MySQL master switchover to db2 refused\n")
                .contains("Switchover refused in CheckSwitchover: db3 is dead").doesNotContain("(unknown)");
    }

    @Test
    void aLongClusterNameKeepsTheSubjectWithinSnsLimits() {
        SwitchoverState s = SwitchoverState.start("c".repeat(64), null, false, 1, false, 0)
                .withTopology("d".repeat(64), true, true, java.util.List.of("e".repeat(64)), "e".repeat(64), "x");
        FailoverReport r = SwitchoverReport.of(s, null, FailoverOutcome.REFUSED, "CheckSwitchover", "no", false);
        assertThat(r.subject()).hasSizeLessThan(100).endsWith("refused");
    }
}
