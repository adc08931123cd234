package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * docs/cost.md computes what the probe of one cluster costs from the stack's settings; this test
 * reads those settings from the synthesized template, checks the page's inputs against them, and
 * recomputes its total, so the page and the stack cannot drift apart unnoticed.
 */
class ProbeCostTest {

    private static final BigDecimal BUDGET = new BigDecimal("5.00");
    private static Map<String, String> rows;
    private static String page;
    private static Map<String, Object> probe;
    private static Map<String, String> environment;

    @BeforeAll
    static void read() throws IOException {
        page = Files.readString(TestStacks.REPO.root().resolve("docs/cost.md"));
        rows = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| ([^|]+?) \\| ([^|]+?) \\|").matcher(page);
        while (m.find()) {
            rows.put(m.group(1).trim(), m.group(2).trim());
        }
        Template template = TestStacks.synth(TestStacks.props());
        probe = template.findResources("AWS::Lambda::Function").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ProbeFunction")).map(e -> TestStacks.<Map<String, Object>>cast(e.getValue()))
                .map(r -> TestStacks.<Map<String, Object>>cast(r.get("Properties"))).findFirst().orElseThrow();
        Map<String, Object> env = TestStacks.cast(probe.get("Environment"));
        environment = new HashMap<>();
        TestStacks.<Map<String, Object>>cast(env.get("Variables")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        Map<String, Object> schedule = template.findResources("AWS::Scheduler::Schedule").values().stream()
                .map(r -> TestStacks.<Map<String, Object>>cast(TestStacks.<Map<String, Object>>cast(r).get("Properties")))
                .findFirst().orElseThrow();
        assertThat(schedule.get("ScheduleExpression")).as("the page counts one invocation a minute").isEqualTo("rate(1 minute)");
    }

    @Test
    void thePagesInputsAreTheStacksSettings() {
        assertThat(number("invocations per month")).isEqualByComparingTo("43200");
        assertThat(number("memory (MB)")).isEqualByComparingTo(String.valueOf(probe.get("MemorySize")));
        assertThat(rows.get("architecture")).isEqualTo(TestStacks.<List<String>>cast(probe.get("Architectures")).get(0));
        assertThat(number("seconds per invocation")).isEqualByComparingTo(new BigDecimal(environment.get("MHA_PROBE_WATCH_MILLIS"))
                .divide(BigDecimal.valueOf(1000)));
        assertThat(number("lease period (s)")).isEqualByComparingTo(environment.get("MHA_PROBE_LEASE_SECONDS"));
        // take + first sighting + release, and a renewal every third of the lease period
        BigDecimal renewals = number("seconds per invocation").divide(number("lease period (s)").divide(BigDecimal.valueOf(3),
                10, RoundingMode.HALF_UP), 0, RoundingMode.FLOOR);
        assertThat(number("DynamoDB writes per invocation")).isEqualByComparingTo(renewals.add(BigDecimal.valueOf(3)));
    }

    @Test
    void thePagesTotalIsRecomputedAndWithinFiveDollarsAClusterMonth() {
        BigDecimal invocations = number("invocations per month");
        BigDecimal gbSeconds = invocations.multiply(number("seconds per invocation"))
                .multiply(number("memory (MB)").divide(BigDecimal.valueOf(1024), 10, RoundingMode.HALF_UP));
        BigDecimal total = gbSeconds.multiply(number("Lambda arm64 per GB-second"))
                .add(invocations.multiply(number("Lambda per request")))
                .add(invocations.multiply(number("EventBridge Scheduler per invocation")))
                .add(invocations.multiply(number("DynamoDB writes per invocation")).multiply(number("DynamoDB per write request unit")))
                .add(invocations.multiply(number("DynamoDB reads per invocation")).multiply(number("DynamoDB per read request unit")))
                .add(invocations.multiply(number("Secrets Manager calls per invocation")).multiply(number("Secrets Manager per API call")))
                .add(invocations.multiply(number("log bytes per invocation")).divide(BigDecimal.valueOf(1_000_000_000), 10, RoundingMode.HALF_UP)
                        .multiply(number("CloudWatch Logs per GB ingested")))
                .setScale(2, RoundingMode.HALF_UP);

        assertThat(page).contains("| **total** | | **" + total.toPlainString() + "** |");
        assertThat(total).isLessThanOrEqualTo(BUDGET);
    }

    private static BigDecimal number(String row) {
        String value = rows.get(row);
        assertThat(value).as("docs/cost.md has no row '" + row + "'").isNotNull();
        return new BigDecimal(value.replace(",", ""));
    }
}
