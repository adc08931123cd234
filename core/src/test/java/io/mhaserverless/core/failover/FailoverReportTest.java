package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import io.mhaserverless.core.failover.FailoverState.ReplicaOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report names what happened; what the failover never learnt reads as unknown, never as "null". */
class FailoverReportTest {

    @Test
    void aReportOfAFailoverThatLearntLittleHasNoNullLine() {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 0)
                .withPhase(new PhaseRecord("CheckConfiguration", 0, 1, ""))
                .withNewMaster("db2", null)
                .withPhase(new PhaseRecord("RecoverNewMaster", 1, 1, ""))
                .withOutcomes(List.of(new ReplicaOutcome("db3", false, null)));

        FailoverReport report = FailoverReport.of(state, null, FailoverOutcome.FAILED, "MoveWriterIp", null);

        assertThat(report.text()).doesNotContain("null").contains("db3: ERROR: (unknown)")
                .contains("Failover stopped in MoveWriterIp: (unknown)");
        assertThat(report.subject()).doesNotContain("null").hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void aRefusalSaysRefusedAndThatNothingChanged() {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 0);
        FailoverReport report = FailoverReport.of(state, null, FailoverOutcome.REFUSED, "CheckConfiguration", "the master db1 is alive");
        assertThat(report.subject()).isEqualTo("app1: MySQL master failover db1 refused");
        assertThat(report.text()).contains("Failover stopped in CheckConfiguration: the master db1 is alive")
                .contains("none (nothing was changed)").doesNotContain("may have acted").doesNotContain("is down!");
        assertThat(report.json()).contains("\"outcome\" : \"refused\"");
    }

    /** Stopped between SaveDeadMasterBinlog (within reach) and RecoverNewMaster's save and apply: nothing lost yet, nothing claimed. */
    @Test
    void aTailWithinReachButNotYetSavedIsNeitherSavedNorLost() {
        FailoverState state = FailoverState.start("app1", "db1", null, false, 0)
                .withPositions(List.of(new FailoverState.ReplicaPosition("db2", "mysql-bin.000003", 4000, "mysql-bin.000003", 4000, "",
                        "", true, false, true, "/r/relay-bin.index", true, "", 0)), List.of("db2"), List.of("db2"), "mysql-bin.000003:4000")
                .withSalvage(new FailoverState.Salvage(FailoverState.Salvage.Status.PENDING, "mysql-bin.000003:4000", null, 0, 0, 0,
                        null, "", "to be saved and applied to the new master by RecoverNewMaster"))
                .withPhase(new PhaseRecord("SaveDeadMasterBinlog", 0, 1, ""));

        FailoverReport report = FailoverReport.of(state, null, FailoverOutcome.FAILED, "RecoverNewMaster", "db2: boom");

        assertThat(state.lossPossible()).isFalse();
        assertThat(io.mhaserverless.core.metrics.FailoverFigures.of(state, FailoverOutcome.FAILED, 10).sets().toString())
                .doesNotContain("BytesPossiblyLost");
        assertThat(report.text()).doesNotContain("Saved ").doesNotContain("may be lost")
                .contains("after mysql-bin.000003:4000 was within reach but not yet saved and applied");
    }
}
