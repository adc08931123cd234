package io.mhaserverless.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedTempFilesTest {

    @Test
    void aFileNamesItsKindAndOwnerAndOnlyTheOwnerMayReadIt(@TempDir Path dir) throws Exception {
        Path f = OwnedTempFiles.createFile(dir, "client-cnf", ".cnf");
        assertThat(f.getFileName().toString()).startsWith("mha-client-cnf." + ProcessHandle.current().pid() + ".").endsWith(".cnf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(OwnedTempFiles.owner(f)).isEqualTo(ProcessHandle.current().pid());
        Path d = OwnedTempFiles.createDirectory(dir, "work");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        assertThatThrownBy(() -> OwnedTempFiles.createFile(dir, "Bad Kind", "")).hasMessageContaining("Bad Kind");
    }

    @Test
    void aSweepRemovesWhatDeadOwnersLeftAndNothingElse(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path deadFile = Files.writeString(dir.resolve("mha-client-cnf." + gone.pid() + ".1.cnf"), "[client]");
        Path deadDir = Files.createDirectories(dir.resolve("mha-work." + gone.pid() + ".2"));
        Files.writeString(deadDir.resolve("saved.binlog"), "x");
        Path live = OwnedTempFiles.createFile(dir, "client-cnf", ".cnf");
        Path foreign = Files.writeString(dir.resolve("mha-failover-123"), "not ours to judge");

        assertThat(OwnedTempFiles.sweep(dir)).isEqualTo(2);

        assertThat(deadFile).doesNotExist();
        assertThat(deadDir).doesNotExist();
        assertThat(live).exists();
        assertThat(foreign).exists();
        assertThat(OwnedTempFiles.sweep(dir.resolve("missing"))).isZero();
    }

    @Test
    void onlyNamesOfThisNamingHaveAnOwner() {
        assertThat(OwnedTempFiles.owner(Path.of("/tmp/mha-agent-out.4242.77.json"))).isEqualTo(4242);
        assertThat(OwnedTempFiles.owner(Path.of("mha-work.7.x"))).isEqualTo(7);
        assertThat(OwnedTempFiles.owner(Path.of("mha-work.7."))).isEqualTo(7);
        for (String other : new String[] {"mha-work.7", "mha-.7.x", "mha-Work.7.x", "mha-work..x", "mha-work.7a.x", "mha_work.7.x",
                "mha-failover-123", "mha-work.1234567890123456789.x", "other.7.x"}) {
            assertThat(OwnedTempFiles.owner(Path.of(other))).as(other).isEqualTo(-1);
        }
    }
}
