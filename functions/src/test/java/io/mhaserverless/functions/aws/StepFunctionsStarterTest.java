package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.port.WorkflowStarter;
import io.mhaserverless.functions.fake.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The probe's starter against Step Functions' wire protocol (FakeAws), with unmodified SDK clients. */
class StepFunctionsStarterTest {

    private FakeAws aws;
    private SfnClient sfn;
    private String machine;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        aws.stepFunctions().interpreter((arn, definition, input) -> new io.mhaserverless.functions.fake.FakeStepFunctions.Result(
                "SUCCEEDED", input, null, null));
        sfn = TestAws.clients(aws.endpoint()).sfn();
        machine = sfn.createStateMachine(r -> r.name("mha-failover").definition("{}").roleArn("arn:aws:iam::000000000000:role/x"))
                .stateMachineArn();
    }

    @AfterEach
    void stop() {
        sfn.close();
        aws.close();
    }

    @Test
    void startsTheNamedExecutionWithTheProbesInput() {
        WorkflowStarter.Started started = new StepFunctionsStarter(sfn, machine).start("app1-db1-1796000000",
                "{\"cluster\":\"app1\",\"mode\":\"failover\",\"deadMaster\":\"db1\"}");

        assertThat(started.alreadyExisted()).isFalse();
        assertThat(started.finished()).isFalse();
        assertThat(started.executionId()).endsWith(":execution:mha-failover:app1-db1-1796000000");
        FakeAws.Call call = aws.calls("StartExecution").get(0);
        assertThat(call.json().path("name").asText()).isEqualTo("app1-db1-1796000000");
        assertThat(call.json().path("input").asText()).contains("\"deadMaster\":\"db1\"");
    }

    @Test
    void theSameDeathStartedAgainCountsAsStartedAndRunsOnce() {
        StepFunctionsStarter starter = new StepFunctionsStarter(sfn, machine);
        WorkflowStarter.Started first = starter.start("app1-db1-1796000000", "{\"cluster\":\"app1\"}");

        WorkflowStarter.Started again = starter.start("app1-db1-1796000000", "{\"cluster\":\"app1\",\"lastSeenMasterBinlog\":null}");

        assertThat(again.alreadyExisted()).isTrue();
        assertThat(again.executionId()).isEqualTo(first.executionId());
        assertThat(aws.stepFunctions().results()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aMissingStateMachineIsAStartFailureNamingTheCode() {
        StepFunctionsStarter starter = new StepFunctionsStarter(sfn, machine.replace("mha-failover", "nosuch"));

        assertThatThrownBy(() -> starter.start("app1-db1-1", "{\"cluster\":\"app1\"}"))
                .isInstanceOf(WorkflowStarter.StartFailed.class)
                .hasMessageContaining("Step Functions StartExecution failed: StateMachineDoesNotExist");
    }
}
