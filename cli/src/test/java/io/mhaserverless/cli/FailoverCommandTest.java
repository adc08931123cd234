package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverCommandTest {

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
    void failsOverADeadMasterPrintsProgressAndTheReportAndExitsZero(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.master().kill();
        Path json = dir.resolve("report.json");

        CliRun run = CliRun.of("failover", "--config", config(sandbox).toString(), "--dead-master", "db1", "--report-json", json.toString(),
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CheckConfiguration", "FenceDeadMaster", "FindLatestReplicas", "SelectNewMaster",
                "RecoverNewMaster", "RecoverReplicas", "Cleanup");
        assertThat(run.out()).contains("----- Failover Report -----")
                .contains("test: MySQL master failover " + sandbox.master() + " to " + sandbox.node("db2") + " succeeded")
                .contains(sandbox.node("db3") + ": OK: replicating from " + sandbox.node("db2"));
        assertThat(Files.readString(json)).contains("\"outcome\" : \"succeeded\"", "\"newMaster\" : \"db2\"");
        assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));
        assertThat(dir.resolve("state").resolve("test.work")).as("a finished failover leaves no work directory").doesNotExist();
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void refusesAnAliveMasterWithExitOneAndChangesNothing(Sandbox sandbox) throws IOException {
        load(sandbox);

        CliRun run = CliRun.of("failover", "--config", config(sandbox).toString(), "--dead-master", "db1",
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Subject: test: MySQL master failover db1 refused").doesNotContain("is down!");
        assertThat(run.out()).contains("Failover stopped in CheckConfiguration: the master " + sandbox.master() + " is alive")
                .contains("Phases that completed: none (nothing was changed)");
        assertThat(sandbox.master().queryString("SELECT @@read_only")).contains("0");
        assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).contains("Yes");
        assertThat(sandbox.node("db3").replicaStatus("Slave_IO_Running")).contains("Yes");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aSecondFailoverIsRefusedUntilAcknowledged(Sandbox sandbox) throws IOException {
        load(sandbox);
        sandbox.master().kill();
        String state = dir.resolve("state").toString();
        CliRun first = CliRun.of("failover", "--config", config(sandbox).toString(), "--state-dir", state);
        assertThat(first.exit()).as(first.toString()).isZero();

        // db2 is the master now; kill it too: MHA's guard must hold the second failover back
        sandbox.node("db2").kill();
        CliRun second = CliRun.of("failover", "--config", config(sandbox).toString(), "--state-dir", state);
        assertThat(second.exit()).as(second.toString()).isEqualTo(1);
        assertThat(second.out()).contains("refused", "less than lastFailoverMinutes=480", "--ignore-last-failover")
                .doesNotContain("ignoreLastFailover");
        assertThat(sandbox.node("db3").replicaStatus("Master_Port")).contains(Integer.toString(sandbox.node("db2").port()));

        CliRun ack = CliRun.of("ack", "--cluster", "test", "--state-dir", state, "--operator", "dba");
        assertThat(ack.exit()).as(ack.toString()).isZero();
        CliRun third = CliRun.of("failover", "--config", config(sandbox).toString(), "--state-dir", state);
        assertThat(third.exit()).as(third.toString()).isZero();
        assertThat(third.out()).contains("failover " + sandbox.node("db2") + " to " + sandbox.node("db3") + " succeeded");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void aMistypedNameIsRejectedByTheFirstStateWithExitTwo(Sandbox sandbox) throws IOException {
        CliRun run = CliRun.of("failover", "--config", config(sandbox).toString(), "--dead-master", "db 1",
                "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("InputRejected", "input field 'deadMaster'");
        assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).contains("Yes");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void refusalsNameTheFlagsTheOperatorTyped(Sandbox sandbox) throws IOException {
        Path conf = Files.writeString(dir.resolve("nomaster.yaml"),
                SandboxConfig.yaml("test", sandbox, List.of(), n -> n.equals("db2") ? "noMaster: true" : ""));
        sandbox.master().kill();
        Path json = dir.resolve("report.json");

        CliRun run = CliRun.of("failover", "--config", conf.toString(), "--new-master", "db2", "--report-json", json.toString(),
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Failover stopped in CheckConfiguration: --new-master db2 is configured noMaster");
        // the JSON form is what SNS carries to a Step Functions user: the input's field names
        assertThat(Files.readString(json)).contains("newMaster db2 is configured noMaster").doesNotContain("--new-master");
    }

    @Test
    void ackWithoutAFailoverSaysSoAndExitsOne() {
        CliRun run = CliRun.of("ack", "--cluster", "nothing-here", "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("cluster nothing-here has no failover to acknowledge");
    }

    @Test
    void configErrorIsOneLineAndExitTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "cluster: x\nservers: []\n");
        CliRun run = CliRun.of("failover", "--config", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(bad + ":2: servers: a cluster needs at least 2 servers, found 0");
    }
}
