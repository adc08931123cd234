package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * statemachine/asl.json against the deployed stack: every placeholder substituted, every
 * substitution pointing at the kind of resource its name promises, and nothing in the definition
 * that the local runtime (AslInterpreter, checked against aws-local-stepfunctions) cannot run.
 */
class StateMachineContractTest {

    private static final String DEFINITION = TestStacks.REPO.stateMachineDefinition();
    private static Template template;

    @BeforeAll
    static void synth() {
        template = TestStacks.synth(TestStacks.props(DEFINITION));
    }

    @Test
    void repositoryDefinitionKeepsTheContract() {
        assertThat(StateMachineContract.violations(DEFINITION, template)).isEmpty();
    }

    @Test
    void substitutionsAreExactlyThePlaceholdersOfTheDefinition() {
        assertThat(Substitutions.placeholders(DEFINITION)).isNotEmpty();
        assertThat(StateMachineContract.substitutions(template).keySet())
                .containsExactlyInAnyOrderElementsOf(Substitutions.placeholders(DEFINITION));
    }

    @Test
    void functionAndTopicSubstitutionsPointAtTheirResources() {
        Map<String, Object> substitutions = StateMachineContract.substitutions(template);
        String alias = StateMachineContract.referencedLogicalId(substitutions.get(Substitutions.PHASE_FUNCTION_ARN)).orElseThrow();
        String topic = StateMachineContract.referencedLogicalId(substitutions.get(Substitutions.REPORT_TOPIC_ARN)).orElseThrow();
        // The alias, not the function: only published versions carry the SnapStart snapshot.
        assertThat(template.findResources("AWS::Lambda::Alias")).containsKey(alias);
        assertThat(template.findResources("AWS::SNS::Topic")).containsKey(topic);
    }

    @Test
    void placeholderWithoutSubstitutionIsReportedByName() {
        String modified = DEFINITION.replaceFirst("\\$\\{PhaseFunctionArn}", "\\${OtherFunctionArn}");
        assertThat(modified).isNotEqualTo(DEFINITION);
        MhaServerlessProps props = TestStacks.props(modified);

        assertThat(StateMachineContract.violations(modified, TestStacks.synthWithoutValidation(props)))
                .containsExactly("${OtherFunctionArn} has no DefinitionSubstitutions entry");
        // The stack refuses it too, so `cdk synth` / `cdk deploy` stop before CloudFormation does.
        assertThatThrownBy(() -> TestStacks.synth(props)).hasMessageContaining("${OtherFunctionArn}");
    }

    @Test
    void hardCodedFunctionArnIsReported() {
        String modified = DEFINITION.replaceFirst("\"\\$\\{PhaseFunctionArn}\"",
                "\"arn:aws:lambda:eu-west-1:123456789012:function:mha-phase\"");
        assertThat(StateMachineContract.definitionViolations(modified)).singleElement().asString()
                .startsWith("Task ")
                .endsWith(" has FunctionName arn:aws:lambda:eu-west-1:123456789012:function:mha-phase, not a ${...} placeholder");
    }

    @Test
    void integrationsTheLocalEngineCannotRunAreReported() {
        String modified = DEFINITION
                .replaceFirst("arn:aws:states:::lambda:invoke\"", "arn:aws:states:::lambda:invoke.waitForTaskToken\"")
                .replaceFirst("arn:aws:states:::sns:publish\"", "arn:aws:states:::states:startExecution.sync:2\"")
                .replaceFirst("\\{", "{\"QueryLanguage\": \"JSONata\",");
        assertThat(StateMachineContract.definitionViolations(modified))
                .anySatisfy(v -> assertThat(v).startsWith("$.QueryLanguage is JSONata"))
                .anySatisfy(v -> assertThat(v).contains("lambda:invoke.waitForTaskToken"))
                .anySatisfy(v -> assertThat(v).contains("startExecution.sync:2"))
                .hasSize(3);
    }
}
