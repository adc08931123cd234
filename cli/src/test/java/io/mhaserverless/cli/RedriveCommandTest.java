package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mha redrive`'s input and its local "nothing to resume"; the AWS path is ExecutionRedriveTest's, the resume itself the local runtime's. */
class RedriveCommandTest {

    @TempDir
    Path dir;

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("app1.yaml"), String.join("\n", "cluster: app1", "user: admin", "password: admin",
                "servers:", "  - name: db1", "    host: 127.0.0.1", "    port: 1", "  - name: db2", "    host: 127.0.0.1", "    port: 2", ""));
    }

    @Test
    void withoutAStateMachineOrAConfigItSaysWhichToGive() {
        CliRun run = CliRun.of("redrive", "--cluster", "app1", "--state-machine", "");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--state-machine").contains("--config");
    }

    @Test
    void aStateMachineThatIsNoArnIsRejectedNamingTheOption() {
        CliRun run = CliRun.of("redrive", "--cluster", "app1", "--state-machine", "mha-failover");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--state-machine").contains("mha-failover");
    }

    @Test
    void aBadClusterNameIsRejected() {
        CliRun run = CliRun.of("redrive", "--cluster", "app 1", "--state-machine", "arn:aws:states:us-east-1:1:stateMachine:x");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--cluster");
    }

    @Test
    void locallyAClusterWithoutProgressHasNothingToResume() throws IOException {
        CliRun run = CliRun.of("redrive", "--cluster", "app1", "--config", config().toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("no unfinished failover").contains("nothing to resume");
    }

    @Test
    void locallyTheConfigMustBeTheClusters() throws IOException {
        CliRun run = CliRun.of("redrive", "--cluster", "app2", "--config", config().toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("app2").contains("app1");
    }
}
