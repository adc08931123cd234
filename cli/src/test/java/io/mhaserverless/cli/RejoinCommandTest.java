package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mha rejoin` after a switchover whose old master was left on its own (no --orig-master-is-new-slave). */
class RejoinCommandTest {

    @TempDir
    Path dir;

    private Path switchedOver(Sandbox sandbox) throws IOException {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2)");
        sandbox.sync(Duration.ofSeconds(30));
        Path config = Files.writeString(dir.resolve("cluster.yaml"), SandboxConfig.yaml("test", sandbox, List.of(), n -> ""));
        CliRun run = CliRun.of("switchover", "--config", config.toString(), "--new-master", "db2", "--running-updates-limit", "2",
                "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(sandbox.master().replicaStatus("Master_Port")).isEmpty();
        return config;
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void theOldMasterRejoinsAsAReadOnlyReplicaOfTheNewOne(Sandbox sandbox) throws IOException {
        Path config = switchedOver(sandbox);
        ServerNode db1 = sandbox.master();
        ServerNode db2 = sandbox.node("db2");
        Path json = dir.resolve("rejoin.json");

        CliRun run = CliRun.of("rejoin", "--config", config.toString(), "--server", "db1", "--report-json", json.toString(),
                "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CheckRejoin", "RejoinAsReplica", "----- Rejoin Report -----", "test: db1 rejoin as a replica succeeded");
        assertThat(Files.readString(json)).contains("\"mode\" : \"rejoin\"", "\"outcome\" : \"succeeded\"", "\"master\" : \"db2\"");
        assertThat(db1.replicaStatus("Master_Port")).contains(Integer.toString(db2.port()));
        assertThat(db1.queryString("SELECT @@read_only")).contains("1");
        db2.execute("INSERT INTO app.t VALUES (3)");
        assertThat(sandbox.syncAndChecksum(db2, Duration.ofSeconds(30)).consistent()).isTrue();
        assertThat(CliRun.of("history", "--cluster", "test", "--state-dir", dir.resolve("state").toString()).out())
                .as("history names the workflow of each row").containsPattern("rejoin +succeeded +db1 +db2")
                .containsPattern("switchover +succeeded +db1 +db2");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void anOldMasterThatWroteOnItsOwnIsRefusedNamingTheGtidsAndExitsOne(Sandbox sandbox) throws IOException {
        Path config = switchedOver(sandbox);
        ServerNode db1 = sandbox.master();
        db1.execute("INSERT INTO app.t VALUES (50)"); // the admin account is not stopped by read_only
        String own = db1.queryString("SELECT @@gtid_binlog_pos").orElseThrow();

        CliRun run = CliRun.of("rejoin", "--config", config.toString(), "--server", "db1", "--state-dir", dir.resolve("state").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Rejoin refused in CheckRejoin: ").contains("lacks: GTIDs ").contains(own + ".")
                .contains("Nothing was changed.");
        assertThat(db1.replicaStatus("Master_Port")).isEmpty();
    }

    @Test
    void anUnknownServerIsBadInput() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "cluster: test\nuser: a\npassword: b\nservers:\n  - {name: db1, host: h1}\n"
                + "  - {name: db2, host: h2}\n");
        CliRun run = CliRun.of("rejoin", "--config", config.toString(), "--server", "db9");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--server db9: no such server in ").contains("(servers: db1, db2)");
    }
}
