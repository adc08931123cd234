package io.mhaserverless.functions.aws;

import io.mhaserverless.core.port.WorkflowStarter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * The probe's {@link WorkflowStarter} on AWS: StartExecution of the failover state machine under
 * the death's deterministic name. Step Functions answers ExecutionAlreadyExists for a name used
 * before (running or closed, with any input): the same death, detected again or by a successor
 * prober, is failed over once.
 */
public final class StepFunctionsStarter implements WorkflowStarter {

    private static final String SERVICE = "Step Functions";

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public Started start(String name, String inputJson) {
        try {
            String arn = sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(inputJson)).executionArn();
            return new Started(arn, false, false);
        } catch (ExecutionAlreadyExistsException before) {
            return new Started(executionArn(name), true, false);
        } catch (SdkException e) {
            throw new StartFailed(AwsErrors.map(SERVICE, "StartExecution", e).getMessage(), e);
        }
    }

    /** An execution's ARN is the state machine's with {@code :stateMachine:} turned into {@code :execution:} and the name appended. */
    String executionArn(String name) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    }
}
