package io.mhaserverless.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Executions that end where no Catch can see them: the execution's own TimeoutSeconds, a
 * StopExecution, States.DataLimitExceeded or States.Runtime. The cluster may be half changed and
 * the lock still held, with no record and no report. Step Functions sends a status-change event to
 * EventBridge for every Standard execution; this rule hands the FAILED, TIMED_OUT and ABORTED ones of
 * the failover state machine, whole, to the phase function (the same {@code live} alias the state
 * machine invokes), which records "failover error", releases the lock and reports. An execution that
 * failed through ReportFailure ends FAILED too: the function must tell it from an uncaught end.
 */
final class UncaughtEndRule extends Construct {

    static final List<String> STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED");
    /**
     * EventBridge retries a failed delivery (throttling, an Inactive function) with backoff; two
     * hours and 20 attempts outlast a Lambda incident without retrying a broken handler all day.
     */
    static final int RETRY_ATTEMPTS = 20;
    static final Duration MAX_EVENT_AGE = Duration.hours(2);

    private final Queue deadLetters;

    UncaughtEndRule(Construct scope, String id, IStateMachine failover, IAlias phaseFunction) {
        super(scope, id);
        // An event EventBridge could not deliver in MAX_EVENT_AGE is the only trace of that
        // execution's end: it is kept here for two weeks instead of being dropped.
        deadLetters = Queue.Builder.create(this, "DeadLetters")
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        NagSuppressions.addResourceSuppressions(deadLetters, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself a dead-letter queue: the EventBridge target's, for undelivered execution-end events.")
                .build()));
        Rule.Builder.create(this, "Rule")
                .description("MHA Serverless: records, unlocks and reports a failover execution that ended without a Catch")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(Map.of(
                                "status", STATUSES,
                                "stateMachineArn", List.of(failover.getStateMachineArn())))
                        .build())
                // No input given: the target receives the whole event (detail.executionArn, status, input, ...).
                .targets(List.of(new LambdaFunction(phaseFunction, LambdaFunctionProps.builder()
                        .retryAttempts(RETRY_ATTEMPTS)
                        .maxEventAge(MAX_EVENT_AGE)
                        .deadLetterQueue(deadLetters)
                        .build())))
                .build();
    }

    Queue deadLetters() {
        return deadLetters;
    }
}
