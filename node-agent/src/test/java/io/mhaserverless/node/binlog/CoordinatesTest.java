package io.mhaserverless.node.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Binlog coordinates and file names; the GTID sets the agent uses are core's, tested in core's GtidSetTest. */
class CoordinatesTest {

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
