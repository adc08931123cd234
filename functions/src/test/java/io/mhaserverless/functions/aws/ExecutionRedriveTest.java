package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.functions.fake.FakeStepFunctions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/** `mha redrive` against Step Functions' wire protocol (FakeAws), with unmodified SDK clients. */
class ExecutionRedriveTest {

    private FakeAws aws;
    private SfnClient sfn;
    private String machine;
    /** An execution whose input says failFirst fails its first run (a Lambda error after its retries); a redrive succeeds. */
    private final java.util.Set<String> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        aws.stepFunctions().interpreter((arn, definition, input) -> {
            boolean failFirst = input.path("failFirst").asBoolean(false);
            return ran.add(arn) && failFirst
                    ? new FakeStepFunctions.Result("FAILED", null, "Lambda.ServiceException", "the phase function failed")
                    : new FakeStepFunctions.Result("SUCCEEDED", input, null, null);
        });
        sfn = TestAws.clients(aws.endpoint()).sfn();
        machine = sfn.createStateMachine(r -> r.name("mha-failover").definition("{}").roleArn("arn:aws:iam::000000000000:role/x"))
                .stateMachineArn();
    }

    @AfterEach
    void stop() {
        sfn.close();
        aws.close();
    }

    private String startAndWait(String name, String input) throws InterruptedException {
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name(name).input(input)).executionArn();
        awaitEnd(arn);
        return arn;
    }

    private String awaitEnd(String arn) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            String status = sfn.describeExecution(r -> r.executionArn(arn)).statusAsString();
            if (!status.equals("RUNNING")) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(arn + " still running");
    }

    @Test
    void theClustersLatestFailedExecutionIsRedrivenAndNoOther() throws Exception {
        startAndWait("other-db1-1", "{\"cluster\":\"other\",\"mode\":\"failover\"}");
        String failed = startAndWait("app1-db1-1796000000", "{\"cluster\":\"app1\",\"mode\":\"failover\",\"failFirst\":true}");
        startAndWait("other-db2-2", "{\"cluster\":\"other\",\"mode\":\"failover\"}");

        ExecutionRedrive.Outcome outcome = new ExecutionRedrive(sfn).redrive(machine, "app1");

        assertThat(outcome.redriven()).as(outcome.message()).isTrue();
        assertThat(outcome.executionArn()).isEqualTo(failed);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(aws.calls("RedriveExecution")).hasSize(1);
        assertThat(aws.calls("RedriveExecution").get(0).json().path("executionArn").asText()).isEqualTo(failed);
        assertThat(awaitEnd(failed)).isEqualTo("SUCCEEDED");
        assertThat(sfn.describeExecution(r -> r.executionArn(failed)).redriveCount()).isEqualTo(1);
    }

    @Test
    void aSucceededLatestExecutionIsNotRedrivenAndTheAnswerSaysWhy() throws Exception {
        startAndWait("app1-db1-1", "{\"cluster\":\"app1\",\"mode\":\"failover\",\"failFirst\":true}");
        startAndWait("app1-db2-2", "{\"cluster\":\"app1\",\"mode\":\"failover\"}");

        ExecutionRedrive.Outcome outcome = new ExecutionRedrive(sfn).redrive(machine, "app1");

        assertThat(outcome.redriven()).isFalse();
        assertThat(outcome.status()).isEqualTo("SUCCEEDED");
        assertThat(outcome.message()).contains("app1-db2-2").contains("not redriven");
        assertThat(aws.calls("RedriveExecution")).isEmpty();
    }

    @Test
    void aClusterWithoutExecutionsHasNothingToRedrive() {
        ExecutionRedrive.Outcome outcome = new ExecutionRedrive(sfn).redrive(machine, "app9");

        assertThat(outcome.redriven()).isFalse();
        assertThat(outcome.executionArn()).isNull();
        assertThat(outcome.message()).contains("no execution of cluster app9");
    }
}
