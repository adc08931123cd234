package io.mhaserverless.core.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.StateStore.FailoverRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which position of the old master's binlog the records say the new master has, and where it starts replicating. */
class RejoinPointTest {

    private static FailoverRecord record(String execution, String outcome, String dead, String newMaster, String json) {
        return new FailoverRecord("app1", execution, Instant.EPOCH, Instant.EPOCH, outcome, dead, newMaster, json);
    }

    @Test
    void aSavedBinlogCountsUpToItsEndElseTheBoundary() {
        var saved = record("x1", "succeeded", "db1", "db2", "{\"boundary\":\"mysql-bin.000003:400\",\"salvage\":{\"status\":\"SAVED\","
                + "\"lastEnd\":\"mysql-bin.000003:900\"},\"newMasterBinlog\":\"mysql-bin.000007:120\"}");
        assertThat(RejoinPoint.of(List.of(saved), "db1")).hasValue(new RejoinPoint("x1", "failover", "db2",
                new BinlogCoordinates("mysql-bin.000003", 900), new BinlogCoordinates("mysql-bin.000007", 120)));
        var unreachable = record("x2", "possible-loss", "db1", "db2", "{\"boundary\":\"mysql-bin.000003:400\",\"salvage\":{\"status\":"
                + "\"UNREACHABLE\"},\"newMasterBinlog\":\"mysql-bin.000007:120\"}");
        assertThat(RejoinPoint.of(List.of(unreachable), "db1").orElseThrow().savedUpTo()).isEqualTo(new BinlogCoordinates("mysql-bin.000003", 400));
    }

    @Test
    void aSwitchoverCountsUpToTheOldMastersFinalPosition() {
        var switchover = record("s1", "succeeded", "db1", "db2", "{\"mode\":\"switchover\",\"finalBinlog\":\"mysql-bin.000002:77\","
                + "\"newMasterBinlog\":\"mysql-bin.000004:4\",\"rolledBack\":false}");
        assertThat(RejoinPoint.of(List.of(switchover), "db1").orElseThrow().savedUpTo()).isEqualTo(new BinlogCoordinates("mysql-bin.000002", 77));
    }

    @Test
    void rejoinsRefusalsRollbacksAndOtherServersAreSkippedAFailedFailoverRefuses() {
        var rejoin = record("r1", "refused", "db1", "db2", "{\"mode\":\"rejoin\"}");
        var rolledBack = record("s2", "failed", "db1", "db2", "{\"mode\":\"switchover\",\"rolledBack\":true}");
        var other = record("x3", "succeeded", "db3", "db2", "{}");
        assertThat(RejoinPoint.of(List.of(rejoin, rolledBack, other), "db1")).isEmpty();
        var failed = record("x4", "failed", "db1", "db2", "{}");
        assertThatThrownBy(() -> RejoinPoint.of(List.of(rejoin, failed), "db1")).isInstanceOf(FailoverException.class)
                .hasMessageContaining("the failover x4 (failed at ").hasMessageContaining("of db1 failed");
    }
}
