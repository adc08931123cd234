package io.mhaserverless.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * statemachine/asl.json as a Standard state machine. The definition stays the file's text (an
 * inline DefinitionString, placeholders kept) so that the deployed workflow is the one the local
 * runner executes; {@link Substitutions} fills the placeholders.
 */
final class FailoverStateMachine extends Construct {

    static final String LOG_GROUP_PREFIX = "/aws/vendedlogs/states/";

    private final StateMachine stateMachine;

    FailoverStateMachine(Construct scope, String id, String definition, IAlias phaseFunction, ITopic reportTopic) {
        super(scope, id);
        Map<String, String> substitutions = Substitutions.of(phaseFunction, reportTopic);
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition))
                .definitionSubstitutions(substitutions)
                .tracingEnabled(true)
                .logs(LogOptions.builder()
                        // Under /aws/vendedlogs/: Step Functions delivers logs through CloudWatch Logs'
                        // vended-log delivery, whose account-wide resource policy has a size limit that
                        // one log group per state machine would reach; this prefix needs no policy entry.
                        .destination(LogGroup.Builder.create(this, "Logs")
                                .logGroupName(LOG_GROUP_PREFIX + Stack.of(this).getStackName() + "-Failover")
                                .retention(RetentionDays.ONE_YEAR)
                                .build())
                        .level(LogLevel.ALL)
                        // Every state's input and output is the failover state: hosts, ports, binlog
                        // positions, GTID sets, instance ids. The execution history keeps it for
                        // operators with states:GetExecutionHistory; the logs would copy it to whoever
                        // may read log groups. ALL still records every transition and error.
                        .includeExecutionData(false)
                        .build())
                .build();
        // An unsubstituted ${Name} would reach Step Functions as a literal and fail at deploy time or,
        // worse, at the first failover; refuse it at synth instead.
        getNode().addValidation(() -> missingSubstitutions(definition, substitutions));
        phaseFunction.grantInvoke(stateMachine);
        reportTopic.grantPublish(stateMachine);
        SecurityReview.stateMachineRole(stateMachine.getRole());
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    static List<String> missingSubstitutions(String definition, Map<String, String> substitutions) {
        return Substitutions.placeholders(definition).stream()
                .filter(name -> !substitutions.containsKey(name))
                .map(name -> "the state machine definition uses ${" + name + "}, which Substitutions does not provide")
                .collect(Collectors.toList());
    }
}
