package io.mhaserverless.node.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class CoordinatesAndGtidSetsTest {

    @Test
    void aMariadbPositionHoldsEverySequenceNumberUpToItsOwnPerDomainWhateverTheServer() {
        GtidSet set = GtidSet.parse("0-1-1003, 1-2-7");
        assertThat(set.contains(new Gtid.Mariadb(0, 1, 1003))).isTrue();
        assertThat(set.contains(new Gtid.Mariadb(0, 3, 900))).isTrue();
        assertThat(set.contains(new Gtid.Mariadb(0, 1, 1004))).isFalse();
        assertThat(set.contains(new Gtid.Mariadb(2, 1, 1))).isFalse();
        assertThat(set.containsAll(GtidSet.parse("0-1-1000,1-2-7"))).isTrue();
        assertThat(set.containsAll(GtidSet.parse("0-1-1000,3-2-1"))).isFalse();
        assertThat(GtidSet.parse("").containsAll(GtidSet.parse(""))).isTrue();
        assertThat(GtidSet.parse("").contains(new Gtid.Mariadb(0, 1, 1))).isFalse();
        assertThat(set).hasToString("0-1-1003,1-2-7");
    }

    @Test
    void aMysqlSetHoldsItsIntervalsPerSourceAndTag() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        GtidSet set = GtidSet.parse(uuid + ":1-5:7," + uuid + ":tag1:1-2");
        UUID source = UUID.fromString(uuid);
        assertThat(set.contains(new Gtid.Mysql(source, null, 5))).isTrue();
        assertThat(set.contains(new Gtid.Mysql(source, null, 6))).isFalse();
        assertThat(set.contains(new Gtid.Mysql(source, null, 7))).isTrue();
        assertThat(set.contains(new Gtid.Mysql(source, "tag1", 2))).isTrue();
        assertThat(set.contains(new Gtid.Mysql(source, "tag1", 3))).isFalse();
        assertThat(set.containsAll(GtidSet.parse(uuid + ":2-4"))).isTrue();
        assertThat(set.containsAll(GtidSet.parse(uuid + ":4-6"))).isFalse();
        assertThat(GtidSet.parse(uuid + ":1-3:4-6")).hasToString(uuid + ":1-6");
    }

    @Test
    void textInNeitherNotationIsRejectedNamingThePart() {
        assertThatThrownBy(() -> GtidSet.parse("0-1-x")).hasMessageContaining("0-1-x");
        assertThatThrownBy(() -> GtidSet.parse("0-1-5,abc")).hasMessageContaining("abc");
        assertThatThrownBy(() -> GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3")).hasMessageContaining("5-3");
        assertThatThrownBy(() -> GtidSet.parse("0-1-5").containsAll(GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1")))
                .hasMessageContaining("MySQL");
    }

    @Test
    void binlogFilesAreOrderedByNumberNotByString() {
        assertThat(new SourceCoordinate("mysql-bin.000010", 4)).isGreaterThan(new SourceCoordinate("mysql-bin.000009", 900));
        assertThat(new SourceCoordinate("mysql-bin.1000000", 4)).isGreaterThan(new SourceCoordinate("mysql-bin.999999", 4));
        assertThat(new SourceCoordinate("mysql-bin.000002", 120)).isLessThan(new SourceCoordinate("mysql-bin.000002", 121));
        assertThat(BinlogFileName.comparable("mysql-bin.000001", "binlog.000001")).isFalse();
    }

    @Test
    void fileColonPositionIsParsedOrRejectedNamingTheText() {
        assertThat(SourceCoordinate.parse("mysql-bin.000002:1234")).isEqualTo(new SourceCoordinate("mysql-bin.000002", 1234));
        assertThatThrownBy(() -> SourceCoordinate.parse("mysql-bin.000002")).hasMessageContaining("'mysql-bin.000002' is not FILE:POS");
        assertThatThrownBy(() -> SourceCoordinate.parse("mysql-bin.000002:x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> SourceCoordinate.parse(":4")).hasMessageContaining("':4' is not FILE:POS");
        assertThatThrownBy(() -> SourceCoordinate.parse("/var/lib/mysql/mysql-bin.000002:4")).hasMessageContaining("without directory");
    }

    @Test
    void aBinlogDirectoryListsItsFilesOfThePrefixInNumberOrder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String name : java.util.List.of("mysql-bin.000010", "mysql-bin.1000000", "mysql-bin.999999", "mysql-bin.000009",
                "mysql-bin.index", "relay-bin.000001", "mysql-bin.000011.gz")) {
            java.nio.file.Files.writeString(dir.resolve(name), "");
        }
        BinlogDirectory d = BinlogDirectory.scan(dir, "mysql-bin");
        assertThat(d.files()).extracting(BinlogFileName::name)
                .containsExactly("mysql-bin.000009", "mysql-bin.000010", "mysql-bin.999999", "mysql-bin.1000000");
    }
}
