package io.mhaserverless.demo.bench.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsLatencyProfileTest {

    /** docs/aws-latencies.properties, the profile the README and docs/performance.md quote. */
    static final Path DEFAULT = Path.of("..", "docs", "aws-latencies.properties");

    private static List<String> complete() {
        List<String> lines = new ArrayList<>();
        AwsLatencyProfile.KEYS.forEach(k -> lines.add(k + " = 10 # assumed"));
        return lines;
    }

    @Test
    void theShippedProfileGivesEveryKeyEachWithASourceOrAssumed() throws Exception {
        AwsLatencyProfile p = AwsLatencyProfile.read(DEFAULT, 1);

        assertThat(p.entries().keySet()).containsExactlyInAnyOrderElementsOf(AwsLatencyProfile.KEYS);
        assertThat(p.entry("ec2.propagation").medianMs()).isEqualTo(1200);
        assertThat(p.entry("ec2.propagation").p99Ms()).isEqualTo(2000);
    }

    @Test
    void aFixedDelayIsItsMedianAndEveryDrawIsCounted() {
        List<String> lines = complete();
        lines.set(AwsLatencyProfile.KEYS.indexOf("sns.Publish"), "sns.Publish = 73");
        AwsLatencyProfile p = AwsLatencyProfile.parse(lines, "test", 1);

        assertThat(p.forCall("sns", "Publish")).isEqualTo(Duration.ofMillis(73));
        assertThat(p.forCall("sns", "Publish")).isEqualTo(Duration.ofMillis(73));
        assertThat(p.forCall("dynamodb", "PutItem")).isEqualTo(Duration.ofMillis(10));
        assertThat(p.forCall("states", "DescribeExecution")).isZero();
        assertThat(p.contributions()).extracting(c -> c.key() + " " + c.calls() + "x " + c.millis())
                .containsExactly("dynamodb.conditionalWrite 1x 10", "sns.Publish 2x 146");
    }

    @Test
    void aDistributionDrawsAroundItsMedianFromTheSeed() {
        List<String> lines = complete();
        lines.set(AwsLatencyProfile.KEYS.indexOf("lambda.invoke"), "lambda.invoke = 100 250");
        long[] a = draws(AwsLatencyProfile.parse(lines, "t", 7), 201);
        long[] b = draws(AwsLatencyProfile.parse(lines, "t", 7), 201);

        assertThat(a).isEqualTo(b);
        java.util.Arrays.sort(a);
        assertThat(a[100]).isBetween(80L, 125L);
        assertThat(a[200]).isGreaterThan(100L);
    }

    private static long[] draws(AwsLatencyProfile p, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = p.draw("lambda.invoke").toMillis();
        }
        return out;
    }

    @Test
    void aBadProfileIsRefusedNamingTheLineAndTheKey() {
        List<String> unknown = complete();
        unknown.add("# a comment");
        unknown.add("ec2.propogation = 1200");
        assertThatThrownBy(() -> AwsLatencyProfile.parse(unknown, "p.properties", 1))
                .hasMessageContaining("p.properties line " + unknown.size()).hasMessageContaining("unknown key 'ec2.propogation'");

        List<String> notANumber = complete();
        notANumber.set(2, "stepfunctions.transition = fast");
        assertThatThrownBy(() -> AwsLatencyProfile.parse(notANumber, "p.properties", 1))
                .hasMessageContaining("line 3").hasMessageContaining("'stepfunctions.transition'").hasMessageContaining("'fast'");

        List<String> upsideDown = complete();
        upsideDown.set(0, "probe.nextTick = 100 50");
        assertThatThrownBy(() -> AwsLatencyProfile.parse(upsideDown, "p.properties", 1))
                .hasMessageContaining("line 1").hasMessageContaining("p99 50 is below the median 100");

        List<String> missing = complete();
        missing.remove(AwsLatencyProfile.KEYS.indexOf("ssm.delivery"));
        assertThatThrownBy(() -> AwsLatencyProfile.parse(missing, "p.properties", 1)).hasMessageContaining("missing key(s) ssm.delivery");

        List<String> noEquals = complete();
        noEquals.add("sns.Publish 73");
        assertThatThrownBy(() -> AwsLatencyProfile.parse(noEquals, "p.properties", 1))
                .hasMessageContaining("line " + noEquals.size()).hasMessageContaining("expected 'key = median_ms [p99_ms]'");
    }
}
