package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwitchoverCommandTest {

    @TempDir
    Path dir;

    private Path config(Sandbox sandbox) throws IOException {
        return Files.writeString(dir.resolve("cluster.yaml"), SandboxConfig.yaml("test", sandbox, List.of(), n -> ""));
    }

    private static void load(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2)");
        sandbox.sync(Duration.ofSeconds(30));
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void switchesToTheNamedReplicaWithTheOldMasterFollowingAndExitsZero(Sandbox sandbox) throws IOException {
        load(sandbox);
        Path json = dir.resolve("report.json");

        CliRun run = CliRun.of("switchover", "--config", config(sandbox).toString(), "--new-master", "db2", "--orig-master-is-new-slave",
                "--running-updates-limit", "2", "--report-json", json.toString(), "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CheckSwitchover", "SwitchMaster", "RepointReplicas", "SwitchoverCleanup", "OrigMasterAsReplica")
                .contains("----- Switchover Report -----")
                .contains("test: MySQL master switchover " + sandbox.master() + " to " + sandbox.node("db2") + " succeeded")
                .contains("Writes were blocked for ");
        assertThat(Files.readString(json)).contains("\"mode\" : \"switchover\"", "\"outcome\" : \"succeeded\"", "\"writeBlockMillis\" : ");
        assertThat(sandbox.node("db2").queryString("SELECT @@read_only")).contains("0");
        assertThat(sandbox.master().queryString("SELECT @@read_only")).contains("1");
        assertThat(sandbox.master().replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));
        assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aRefusalNamesTheFlagsAndChangesNothing(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.node("db2").execute("INSERT INTO app.t VALUES (99)"); // an errant transaction on the target

        CliRun run = CliRun.of("switchover", "--config", config(sandbox).toString(), "--new-master", "db2",
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Switchover refused in CheckSwitchover: --new-master db2 cannot be promoted: has errant")
                .contains("switch anyway with --force-with-possible-data-loss").contains("Nothing was changed.");
        assertThat(sandbox.master().queryString("SELECT @@read_only")).contains("0");
        assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).contains("Yes");
    }

    @Test
    void aNegativeLimitIsBadInput() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "cluster: test\nuser: a\npassword: b\nservers:\n  - {name: db1, host: h1}\n");
        CliRun run = CliRun.of("switchover", "--config", config.toString(), "--running-updates-limit", "-1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--running-updates-limit must be 0 to 3600 seconds, was -1");
    }
}
