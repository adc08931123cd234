package io.mhaserverless.infra;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * The one place that gives every {@code ${Name}} placeholder of statemachine/asl.json its value.
 * The local runner fills the same placeholders with its own endpoints, so asl.json itself never
 * holds an ARN. A placeholder added to asl.json needs its line here.
 */
public final class Substitutions {

    public static final String PHASE_FUNCTION_ARN = "PhaseFunctionArn";
    public static final String REPORT_TOPIC_ARN = "ReportTopicArn";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Substitutions() {
    }

    /** Step Functions invokes the {@code live} alias, so every call meets a SnapStart-published version. */
    static Map<String, String> of(IAlias phaseFunction, ITopic reportTopic) {
        return Map.of(
                PHASE_FUNCTION_ARN, phaseFunction.getFunctionArn(),
                REPORT_TOPIC_ARN, reportTopic.getTopicArn());
    }

    /** The names of the {@code ${Name}} placeholders in a definition, sorted. */
    public static Set<String> placeholders(String definition) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(definition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
