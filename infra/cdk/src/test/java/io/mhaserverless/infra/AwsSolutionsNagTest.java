package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions pack over the stack as deployed without options and with every option
 * (VPC, endpoints, writer IP reservation, report e-mail). The accepted findings and their reasons
 * live in SecurityReview; anything else fails here.
 */
class AwsSolutionsNagTest {

    @Test
    void theStackWithoutOptionsHasNoUnsuppressedFinding() {
        assertThat(findings(TestStacks.props())).isEmpty();
    }

    @Test
    void theStackWithEveryOptionHasNoUnsuppressedFinding() {
        assertThat(findings(TestStacks.inVpcProps())).isEmpty();
    }

    @Test
    void theStackInAVpcWithoutEndpointsOrReservationsHasNoUnsuppressedFinding() {
        assertThat(findings(TestStacks.props()
                .withNetwork(new PrivateNetwork(TestStacks.VPC, TestStacks.SUBNETS, TestStacks.SECURITY_GROUP))
                .withWriterIpReservation(WriterIpReservation.prerequisite()))).isEmpty();
    }

    /** The pack runs and reports: a topic that accepts plain HTTP is an SNS3 finding. */
    @Test
    void thePackReportsWhatNoSuppressionCovers() {
        assertThat(findings(TestStacks.props(), stack -> new Topic(stack, "PlainTopic")))
                .singleElement().asString().contains("AwsSolutions-SNS3").contains("PlainTopic");
    }

    static List<String> findings(MhaServerlessProps props) {
        return findings(props, stack -> { });
    }

    static List<String> findings(MhaServerlessProps props, Consumer<Stack> addToStack) {
        App app = TestStacks.app();
        MhaServerlessStack stack = new MhaServerlessStack(app, TestStacks.STACK, StackProps.builder().build(), props);
        addToStack.accept(stack);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        Annotations annotations = Annotations.fromStack(stack);
        List<String> found = new ArrayList<>();
        for (SynthesisMessage m : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            found.add("ERROR " + m.getId() + " " + m.getEntry().getData());
        }
        for (SynthesisMessage m : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            found.add("WARN " + m.getId() + " " + m.getEntry().getData());
        }
        return found;
    }
}
