package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.AgentAnswers;
import io.mhaserverless.functions.fake.CommandExecutor.CommandResult;
import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.functions.fake.FakeSsm.CommandRun;
import io.mhaserverless.functions.fake.NodeAgentDocument;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.SsmClient;

class SsmNodeAgentTest {

    static final ServerConfig DB1 = Ec2EniWriterIpTest.server("db1", "10.0.1.11", "i-0000000000000db01");
    static final ServerConfig DB2 = Ec2EniWriterIpTest.server("db2", "10.0.1.12", "i-0000000000000db02");
    static final String PASSWORD = "s3cr3t-Pa55";
    static final ObjectMapper JSON = new ObjectMapper();

    FakeAws aws;
    SsmClient ssm;
    String secretArn;
    SsmNodeAgent agent;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        ssm = TestAws.clients(aws.endpoint()).ssm();
        aws.ssm().registerInstance("i-0000000000000db01");
        aws.ssm().registerInstance("i-0000000000000db02");
        secretArn = aws.secretsManager().putSecret("mha/app1/admin", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
        agent = new SsmNodeAgent(ssm, SsmNodeAgent.DEFAULT_DOCUMENT, Optional.of(secretArn), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        ssm.close();
        aws.close();
    }

    @Test
    void saveBinlogPollsUntilTheCommandSucceeds() throws Exception {
        aws.ssm().inProgressPolls(2);
        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"out\":\"/var/tmp/mha/db1-mysql-bin.000003-120.binlog\","
                + "\"bytes\":999,\"events\":12,\"transactions\":3,\"fromFile\":\"mysql-bin.000003\",\"fromPos\":120,"
                + "\"lastFile\":\"mysql-bin.000004\",\"lastEndPos\":456,\"truncatedTail\":true,\"gtids\":\"0-1-17\"}\n"));

        NodeAgent.SavedBinlog saved = agent.saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120));

        assertThat(saved).isEqualTo(new NodeAgent.SavedBinlog(false, "/var/tmp/mha/db1-mysql-bin.000003-120.binlog", 999, 12, 3,
                new BinlogCoordinates("mysql-bin.000003", 120), new BinlogCoordinates("mysql-bin.000004", 456), true, "0-1-17"));
        CommandRun run = aws.ssm().commands().get(0);
        assertThat(run.instanceId()).isEqualTo("i-0000000000000db01");
        assertThat(run.documentName()).isEqualTo("MhaNodeAgent");
        assertThat(run.parameters()).containsOnlyKeys("subcommand", "arguments", "credentialsSecret");
        assertThat(run.parameters().get("subcommand")).containsExactly("save-binlog");
        assertThat(run.parameters().get("credentialsSecret")).containsExactly("");
        assertThat(arguments(run)).containsExactly("--binlog-dir", "/var/lib/mysql", "--binlog-prefix", "mysql-bin",
                "--from", "mysql-bin.000003:120", "--out", "/var/tmp/mha/db1-mysql-bin.000003-120.binlog");
        assertThat(run.polls()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aThrottledPollIsNoAnswerYetNotAFailure() {
        aws.ssm().executor((id, p) -> CommandResult.exit(10, "{\"status\":\"nothing-newer\",\"bytes\":0,\"events\":0}", ""));
        // more than the SDK's 3 attempts of one poll: the adapter itself must ask again
        aws.failNext("GetCommandInvocation", 4, "ThrottlingException", 400);

        NodeAgent.SavedBinlog saved = agent.saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120));

        assertThat(saved.nothingNewer()).isTrue();
    }

    @Test
    void aFinishedCommandIsSeenWithinAQuarterSecondForTheFirstTenSeconds() {
        Duration pause = SsmCommandRunner.FAST_POLL;
        for (long elapsedMs = 0; elapsedMs < 10_000; elapsedMs += 250) {
            pause = SsmCommandRunner.nextPause(pause, Duration.ofMillis(elapsedMs).toNanos());
            assertThat(pause).isEqualTo(Duration.ofMillis(250));
        }
        assertThat(SsmCommandRunner.nextPause(pause, Duration.ofSeconds(10).toNanos())).isEqualTo(Duration.ofMillis(500));
        assertThat(SsmCommandRunner.nextPause(Duration.ofMillis(1500), Duration.ofSeconds(30).toNanos())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void exitTenIsNothingNewer() {
        aws.ssm().executor((id, p) -> CommandResult.exit(10, "{\"status\":\"nothing-newer\",\"bytes\":0,\"events\":0}", ""));

        NodeAgent.SavedBinlog saved = agent.saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120));

        assertThat(saved.nothingNewer()).isTrue();
        assertThat(saved.lastEnd()).isEqualTo(new BinlogCoordinates("mysql-bin.000003", 120));
    }

    @Test
    void applyDiffPassesTheSecretIdAndNeverThePassword() throws Exception {
        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"events\":20,\"transactions\":4,\"bytes\":2048}"));

        NodeAgent.Applied applied = agent.applyDiff(DB2,
                Optional.of(new NodeAgent.RelayDiff("/var/lib/mysql/relay-bin.index", new BinlogCoordinates("mysql-bin.000003", 120),
                        Optional.of(new BinlogCoordinates("mysql-bin.000003", 900)))),
                Optional.of("/var/tmp/mha/db1-mysql-bin.000003-120.binlog"), DB1);

        assertThat(applied).isEqualTo(new NodeAgent.Applied(20, 4, 2048));
        CommandRun run = aws.ssm().commands().get(0);
        assertThat(run.instanceId()).isEqualTo("i-0000000000000db02");
        assertThat(run.parameter("subcommand")).isEqualTo("apply-diff");
        assertThat(run.parameter("credentialsSecret")).isEqualTo(secretArn);
        assertThat(arguments(run)).containsExactly("--target-host", "10.0.1.11", "--target-port", "3306",
                "--relay-log-index", "/var/lib/mysql/relay-bin.index", "--from-source", "mysql-bin.000003:120",
                "--until-source", "mysql-bin.000003:900", "--binlog", "/var/tmp/mha/db1-mysql-bin.000003-120.binlog",
                "--timeout-seconds", "5");
        assertThat(run.parameters().toString()).doesNotContain(PASSWORD);
        assertThat(aws.calls().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void saveAndApplyIsOneCommandWithTheSecretId() throws Exception {
        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"out\":\"/var/tmp/mha/db1-mysql-bin.000003-120.binlog\","
                + "\"bytes\":999,\"events\":12,\"transactions\":3,\"fromFile\":\"mysql-bin.000003\",\"fromPos\":120,"
                + "\"lastFile\":\"mysql-bin.000004\",\"lastEndPos\":456,\"truncatedTail\":false,\"gtids\":\"0-1-17\","
                + "\"appliedTo\":\"10.0.1.12:3306\",\"appliedEvents\":8,\"appliedTransactions\":2,\"skipped\":1}\n"));

        NodeAgent.SavedAndApplied done = agent.saveAndApply(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120),
                DB2, Optional.of("0-1-15"));

        assertThat(done.saved()).isEqualTo(new NodeAgent.SavedBinlog(false, "/var/tmp/mha/db1-mysql-bin.000003-120.binlog", 999, 12, 3,
                new BinlogCoordinates("mysql-bin.000003", 120), new BinlogCoordinates("mysql-bin.000004", 456), false, "0-1-17"));
        assertThat(done.applied().transactions()).isEqualTo(2);
        assertThat(aws.ssm().commands()).hasSize(1);
        CommandRun run = aws.ssm().commands().get(0);
        assertThat(run.instanceId()).isEqualTo("i-0000000000000db01");
        assertThat(run.parameter("subcommand")).isEqualTo("save-binlog");
        assertThat(run.parameter("credentialsSecret")).isEqualTo(secretArn);
        assertThat(arguments(run)).containsExactly("--binlog-dir", "/var/lib/mysql", "--binlog-prefix", "mysql-bin",
                "--from", "mysql-bin.000003:120", "--out", "/var/tmp/mha/db1-mysql-bin.000003-120.binlog",
                "--apply-to", "10.0.1.12:3306", "--skip-gtids", "0-1-15", "--timeout-seconds", "5");
        assertThat(aws.calls().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void onTheDeadMastersHostTheSaveAndApplyMustStartBeforeThePendingLimit() throws Exception {
        aws.ssm().executor((id, p) -> CommandResult.exit(10, "{\"status\":\"nothing-newer\",\"bytes\":0,\"events\":0}", ""));
        long before = System.currentTimeMillis();

        agent.onDeadHost().saveAndApply(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120), DB2,
                Optional.empty());
        long after = System.currentTimeMillis();

        List<String> args = arguments(aws.ssm().commands().get(0));
        assertThat(args).contains("--start-by");
        long startBy = Long.parseLong(args.get(args.indexOf("--start-by") + 1));
        // the clock moves while the command is sent, so the bound is the margin before the limit counted from either end
        long limit = NodeAgent.DEAD_HOST_PENDING.minus(SsmNodeAgent.START_BY_MARGIN).toMillis();
        assertThat(startBy).as("a margin before the pending limit at which a Pending command is given up")
                .isBetween(before + limit, after + limit);
    }

    @Test
    void saveAndApplyTellsANotSavedBinlogFromAFailedApply() {
        aws.ssm().executor((id, p) -> CommandResult.exit(13, "{\"status\":\"not-saved\",\"error\":\"binlog directory /d has no mysql-bin.000001\"}", ""));
        assertThatThrownBy(() -> agent.saveAndApply(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4), DB2, Optional.empty()))
                .isInstanceOf(NodeAgent.NotSaved.class).hasMessageContaining("has no mysql-bin.000001");

        aws.ssm().executor((id, p) -> CommandResult.exit(1, "{\"status\":\"error\",\"error\":\"mysql on 10.0.1.12:3306 exited 1\"}", ""));
        assertThatThrownBy(() -> agent.saveAndApply(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4), DB2, Optional.empty()))
                .isInstanceOf(NodeAgent.Failed.class).isNotInstanceOf(NodeAgent.NotSaved.class).hasMessageContaining("exited 1");
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aCommandStillPendingOnTheStoppedDeadMastersHostMeansUnreachable() {
        SsmNodeAgent patient = new SsmNodeAgent(ssm, SsmNodeAgent.DEFAULT_DOCUMENT, Optional.empty(), Duration.ofMinutes(10));
        aws.ssm().stop("i-0000000000000db01");

        assertThatThrownBy(() -> patient.onDeadHost().saveBinlog(DB1, "/var/lib/mysql", "mysql-bin",
                new BinlogCoordinates("mysql-bin.000003", 120)))
                .isInstanceOf(NodeAgent.Unreachable.class)
                .hasMessageContaining("was still Pending on db1(10.0.1.11:3306) [i-0000000000000db01] after "
                        + NodeAgent.DEAD_HOST_PENDING.toMillis() + " ms");
        assertThat(aws.ssm().commands()).singleElement().satisfies(run -> assertThat(run.cancelled()).isTrue());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void theStepsDeadlineBoundsEveryCommandAndTheAgentsOwnTimeoutIsShorter() throws Exception {
        SsmNodeAgent patient = new SsmNodeAgent(ssm, SsmNodeAgent.DEFAULT_DOCUMENT, Optional.empty(), Duration.ofMinutes(10));
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        aws.ssm().executor((id, p) -> {
            never.await();
            return CommandResult.success("{}");
        });
        SsmNodeAgent step = patient.within(io.mhaserverless.core.workflow.Deadline.in(Duration.ofSeconds(3)));

        assertThatThrownBy(() -> step.saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120)))
                .isInstanceOf(NodeAgent.Failed.class)
                .hasMessageContaining("did not finish within");
        assertThat(aws.ssm().commands().get(0).cancelled()).isTrue();
        never.countDown();

        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"events\":1,\"transactions\":1,\"bytes\":10}"));
        SsmNodeAgent minute = patient.within(io.mhaserverless.core.workflow.Deadline.in(Duration.ofSeconds(60)));
        minute.applyDiff(DB2, Optional.empty(), Optional.of("/var/tmp/mha/x.binlog"), DB1);
        List<String> args = arguments(aws.ssm().commands().get(1));
        long agentSeconds = Long.parseLong(args.get(args.indexOf("--timeout-seconds") + 1));
        assertThat(agentSeconds).isBetween(1L, 50L);
        assertThatThrownBy(() -> patient.within(io.mhaserverless.core.workflow.Deadline.in(Duration.ZERO))
                .saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 120)))
                .isInstanceOf(NodeAgent.Failed.class).hasMessageContaining("deadline has passed");
        assertThat(aws.ssm().commands()).hasSize(2);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void unbindOnADeadMasterIsBestEffortAndShort() {
        SsmNodeAgent patient = new SsmNodeAgent(ssm, SsmNodeAgent.DEFAULT_DOCUMENT, Optional.empty(), Duration.ofMinutes(10));
        // SSM still says Online: it notices a stopped instance only minutes later
        aws.ssm().stop("i-0000000000000db01");

        patient.ipBinding("eth0").unbind(DB1, "10.0.1.50");

        assertThat(aws.ssm().commands()).singleElement().satisfies(run -> {
            assertThat(run.parameter("subcommand")).isEqualTo("unbind-ip");
            assertThat(run.cancelled()).isTrue();
        });
    }

    @Test
    void aFailedCommandCarriesTheAgentsError() {
        aws.ssm().executor((id, p) -> CommandResult.exit(1,
                "{\"status\":\"error\",\"error\":\"mysql-bin.000003:121 is not an event boundary (nearest 120, 245)\"}\n",
                "reading mysql-bin.000003\n"));

        assertThatThrownBy(() -> agent.saveBinlog(DB1, "/var/lib/mysql", "mysql-bin", new BinlogCoordinates("mysql-bin.000003", 121)))
                .isInstanceOf(NodeAgent.Failed.class)
                .hasMessage("node agent save-binlog on db1(10.0.1.11:3306) [i-0000000000000db01] exited 1 (SSM command "
                        + aws.ssm().commands().get(0).commandId() + "): mysql-bin.000003:121 is not an event boundary (nearest 120, 245)");
    }

    @Test
    void withoutJsonTheLastStderrLineExplains() {
        aws.ssm().executor((id, p) -> CommandResult.exit(127, "", "starting\n/opt/mha/bin/mha-node-agent: not found\n"));

        assertThatThrownBy(() -> agent.applyDiff(DB2, Optional.empty(), Optional.of("/var/tmp/mha/x.binlog"), DB1))
                .isInstanceOf(NodeAgent.Failed.class)
                .hasMessageContaining("exited 127 (SSM command ").hasMessageEndingWith("): /opt/mha/bin/mha-node-agent: not found");
    }

    @Test
    void notFoundOfApplyDiffIsAFailure() {
        aws.ssm().executor((id, p) -> CommandResult.exit(12, "{\"status\":\"not-found\",\"error\":\"no relay event ends at mysql-bin.000003:900\"}", ""));

        assertThatThrownBy(() -> agent.applyDiff(DB2, Optional.of(new NodeAgent.RelayDiff("/r/relay-bin.index",
                new BinlogCoordinates("mysql-bin.000003", 900), Optional.empty())), Optional.empty(), DB1))
                .isInstanceOf(NodeAgent.Failed.class).hasMessageContaining("exited 12").hasMessageContaining("): no relay event ends at");
    }

    @Test
    void undeliverableAndDeliveryTimeoutAreUnreachable() {
        aws.ssm().executor((id, p) -> CommandResult.undeliverable());
        assertThatThrownBy(() -> agent.saveBinlog(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Unreachable.class).hasMessageContaining("Undeliverable").hasMessageContaining("db1");

        aws.ssm().executor((id, p) -> CommandResult.deliveryTimedOut());
        assertThatThrownBy(() -> agent.saveBinlog(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Unreachable.class).hasMessageContaining("DeliveryTimedOut");
    }

    @Test
    void anExecutionTimeoutIsAFailureNotUnreachable() {
        aws.ssm().executor((id, p) -> CommandResult.executionTimedOut());

        assertThatThrownBy(() -> agent.saveBinlog(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Failed.class).hasMessageContaining("TimedOut / ExecutionTimedOut");
    }

    @Test
    void anInstanceSsmDoesNotKnowIsUnreachable() {
        ServerConfig gone = Ec2EniWriterIpTest.server("db7", "10.0.1.17", "i-00000000000000777");

        assertThatThrownBy(() -> agent.saveBinlog(gone, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Unreachable.class).hasMessageContaining("InvalidInstanceId").hasMessageContaining("db7");
    }

    @Test
    void aCommandThatNeverStartsIsUnreachableAtTheDeadlineAndCancelled() {
        aws.ssm().pingStatus("i-0000000000000db01", "ConnectionLost");
        SsmNodeAgent impatient = new SsmNodeAgent(ssm, "MhaNodeAgent", Optional.empty(), Duration.ofMillis(700));

        assertThatThrownBy(() -> impatient.saveBinlog(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Unreachable.class).hasMessageContaining("did not start");
        assertThat(aws.calls("CancelCommand")).hasSize(1);
        assertThat(aws.ssm().commands().get(0).cancelled()).isTrue();
        assertThat(aws.ssm().commands().get(0).timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void aCommandThatNeverFinishesFailsAtTheDeadlineAndIsCancelled() {
        aws.ssm().executor((id, p) -> CommandResult.RUNNING);
        // long enough for SendCommand and one status poll on a loaded machine, or the command is still Pending: "did not start"
        SsmNodeAgent impatient = new SsmNodeAgent(ssm, "MhaNodeAgent", Optional.empty(), Duration.ofSeconds(3));

        assertThatThrownBy(() -> impatient.saveBinlog(DB1, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Failed.class).hasMessageContaining("did not finish");
        assertThat(aws.ssm().commands().get(0).cancelled()).isTrue();
    }

    @Test
    void anInvocationNotYetVisibleIsPolledAgain() {
        aws.failNext("GetCommandInvocation", 1, "InvocationDoesNotExist", 400);
        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"reachable\":true}"));

        assertThat(agent.masterReachableFrom(DB2, DB1)).isTrue();
        assertThat(aws.calls("GetCommandInvocation")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void throttlingIsRetryable() {
        aws.failNext("SendCommand", 1, "ThrottlingException", 400);

        assertThatThrownBy(() -> agent.masterReachableFrom(DB2, DB1)).isInstanceOf(RetryableFailure.class)
                .hasMessageStartingWith("SSM SendCommand failed: ThrottlingException (HTTP 400)");
    }

    @Test
    void reachableAsksSsmForThePingStatus() {
        aws.ssm().pingStatus("i-0000000000000db02", "ConnectionLost");
        ServerConfig bare = new ServerConfig("db9", "10.0.1.19", 3306, false, false, false, Optional.empty(), Optional.empty());

        assertThat(agent.reachable(DB1)).isTrue();
        assertThat(agent.reachable(DB2)).isFalse();
        assertThat(agent.reachable(Ec2EniWriterIpTest.server("db7", "10.0.1.17", "i-00000000000000777"))).isFalse();
        assertThat(agent.reachable(bare)).isFalse();
        assertThatThrownBy(() -> agent.saveBinlog(bare, "/d", "mysql-bin", new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Unreachable.class).hasMessageContaining("db9(10.0.1.19:3306) has no instanceId");
    }

    @Test
    void ipBindingRunsBindIpAndSkipsUnbindOnAHostThatIsGone() throws Exception {
        aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"changed\":true,\"arp\":\"sent\"}"));
        aws.ssm().pingStatus("i-0000000000000db01", "ConnectionLost");
        HostIpBinding binding = agent.ipBinding("ens5");

        binding.bind(DB2, "10.0.1.50");
        binding.unbind(DB1, "10.0.1.50");

        assertThat(aws.ssm().commands()).hasSize(1);
        CommandRun run = aws.ssm().commands().get(0);
        assertThat(run.parameter("subcommand")).isEqualTo("bind-ip");
        assertThat(arguments(run)).containsExactly("--address", "10.0.1.50", "--interface", "ens5", "--confirm-metadata");
    }

    @Test
    void theAgentsJsonIsTheLastJsonLineOfTheOutput() {
        assertThat(AgentAnswers.agentJson("fetching secret\n{\"status\":\"ok\",\"changed\":false}\n").path("changed").isBoolean()).isTrue();
        assertThat(AgentAnswers.agentJson("{\"a\":1}\n{not json\n")).isNotNull();
        assertThat(AgentAnswers.agentJson("")).isNull();
        assertThat(AgentAnswers.agentJson("[1,2]")).isNull();
    }

    // The real node agent, run the way the SSM document runs it.

    @Test
    void realAgentAnswersThroughTheDocumentContract(@TempDir Path work) throws Exception {
        aws.ssm().executor(new NodeAgentDocument(aws.secretsManager(), work, Duration.ofSeconds(60)));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ServerConfig deadMaster = new ServerConfig("db1", "127.0.0.1", closedPort, false, false, false,
                Optional.of("i-0000000000000db01"), Optional.empty());

        assertThat(agent.masterReachableFrom(DB2, deadMaster)).isFalse();

        assertThatThrownBy(() -> agent.saveBinlog(DB1, work.resolve("no-such-dir").toString(), "mysql-bin",
                new BinlogCoordinates("mysql-bin.000001", 4)))
                .isInstanceOf(NodeAgent.Failed.class)
                .hasMessageContaining("save-binlog on db1(10.0.1.11:3306) [i-0000000000000db01] exited 1 (SSM command ")
                .hasMessageContaining("no-such-dir");

        assertThatThrownBy(() -> agent.bindIp(DB2, "10.0.1.50", "bad/name"))
                .isInstanceOf(NodeAgent.Failed.class).hasMessageContaining("exited 2");
    }

    static List<String> arguments(CommandRun run) throws Exception {
        assertThat(run.parameters().get("arguments")).hasSize(1);
        return List.of(JSON.readValue(run.parameter("arguments"), String[].class));
    }
}
