package io.mhaserverless.local.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ASL semantics asl.json relies on, one rule per test, on small definitions: what the parity
 * test cannot reach without waiting minutes (backoff, timeouts) or without a second runtime.
 */
class AslInterpreterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();

    private Execution run(String asl, JsonNode input, TaskHandler tasks) {
        AslInterpreter interpreter = new AslInterpreter(StateMachineDefinition.parse(asl, Map.of(), "test.asl.json"), Clock.systemUTC(),
                slept::add);
        return interpreter.run("arn:aws:states:local:0:execution:test:1", input, tasks, e -> { });
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String task(String retry, String catcher, String extra) {
        return "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\"" + extra
                + (retry.isEmpty() ? "" : ",\"Retry\":[" + retry + "]") + (catcher.isEmpty() ? "" : ",\"Catch\":[" + catcher + "]")
                + ",\"End\":true},\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
    }

    private static TaskHandler failing(String error, AtomicInteger calls) {
        return (state, resource, input) -> {
            calls.incrementAndGet();
            throw new StatesError(error, "cause of " + error);
        };
    }

    @Test
    void hopDelaysAreCalledBeforeEachStateAndBeforeEachTaskCallOnTheTasksThread() {
        List<String> hops = new CopyOnWriteArrayList<>();
        AslInterpreter interpreter = new AslInterpreter(StateMachineDefinition.parse(
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Next\":\"T\"},"
                        + "\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"End\":true}}}", Map.of(), "test.asl.json"))
                .withHops(new HopDelays() {
                    @Override
                    public void beforeState(String state) {
                        hops.add("state " + state);
                    }

                    @Override
                    public void beforeTask(String state, String resource) {
                        hops.add("task " + state + " " + resource + " on " + Thread.currentThread().getName());
                    }
                });
        List<String> called = new CopyOnWriteArrayList<>();
        Execution e = interpreter.run("arn:aws:states:local:0:execution:test:1", json("{}"), (state, resource, input) -> {
            called.add(Thread.currentThread().getName());
            return json("{}");
        }, x -> { });

        assertThat(e.status()).isEqualTo(Execution.SUCCEEDED);
        assertThat(hops).containsExactly("state P", "state T", "task T arn:x on " + called.get(0));
    }

    @Test
    void backoffGrowsByTheRateAndStopsAtMaxDelayAndOnlyTheFirstMatchingRetrierCounts() {
        AtomicInteger calls = new AtomicInteger();
        Execution e = run(task("{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":2,\"MaxAttempts\":4,\"BackoffRate\":3,\"MaxDelaySeconds\":10},"
                + "{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":9}", "", ""), json("{}"), failing("E", calls));

        assertThat(e.status()).isEqualTo(Execution.FAILED);
        assertThat(e.error()).isEqualTo("E");
        assertThat(calls).hasValue(5);
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void maxAttemptsZeroNeverRetriesAndFullJitterStaysWithinTheDelay() {
        AtomicInteger calls = new AtomicInteger();
        run(task("{\"ErrorEquals\":[\"E\"],\"MaxAttempts\":0}", "", ""), json("{}"), failing("E", calls));
        assertThat(calls).hasValue(1);
        assertThat(slept).isEmpty();

        run(task("{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":4,\"MaxAttempts\":20,\"JitterStrategy\":\"FULL\",\"BackoffRate\":1}", "", ""),
                json("{}"), failing("E", new AtomicInteger()));
        assertThat(slept).hasSize(20).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(4)));
        // 20 draws from 4,000 ms collide now and then (about 5 %); a fixed delay gives one value 20 times
        assertThat(new java.util.HashSet<>(slept)).as("jittered, not fixed").hasSizeGreaterThan(10);
    }

    @Test
    void aTaskTimeoutIsStatesTimeoutWhichTaskFailedDoesNotCatch() {
        TaskHandler hangs = (state, resource, input) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        };
        Execution notCaught = run(task("", "{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"Caught\"}", ",\"TimeoutSeconds\":1"),
                json("{}"), hangs);
        assertThat(notCaught.error()).isEqualTo(StatesError.TIMEOUT);

        Execution caught = run(task("", "{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.error\",\"Next\":\"Caught\"}",
                ",\"TimeoutSeconds\":1"), json("{\"keep\":1}"), hangs);
        assertThat(caught.status()).isEqualTo(Execution.SUCCEEDED);
        assertThat(caught.output().path("keep").asInt()).isEqualTo(1);
        assertThat(caught.output().path("error").path("Error").asText()).isEqualTo(StatesError.TIMEOUT);
    }

    @Test
    void aRuntimeErrorIsNeitherRetriedNorCaughtByStatesAll() {
        String asl = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\","
                + "\"Parameters\":{\"x.$\":\"$.missing\"},\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]}],"
                + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}],\"End\":true},\"Caught\":{\"Type\":\"Pass\",\"End\":true}}}";
        AtomicInteger calls = new AtomicInteger();

        Execution e = run(asl, json("{}"), (s, r, in) -> {
            calls.incrementAndGet();
            return in;
        });

        assertThat(e.error()).isEqualTo(StatesError.RUNTIME);
        assertThat(e.cause()).contains("$.missing");
        assertThat(calls).hasValue(0);
        assertThat(slept).isEmpty();
    }

    @Test
    void pathsApplyInOrderAndResultPathNullKeepsTheInput() {
        String asl = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"InputPath\":\"$.in\","
                + "\"Parameters\":{\"v.$\":\"$.a\",\"id.$\":\"$$.Execution.Id\"},\"ResultSelector\":{\"got.$\":\"$.v\"},"
                + "\"ResultPath\":\"$.out\",\"OutputPath\":\"$.out\",\"Next\":\"Discard\"},"
                + "\"Discard\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"ResultPath\":null,\"End\":true}}}";
        List<JsonNode> inputs = new CopyOnWriteArrayList<>();

        Execution e = run(asl, json("{\"in\":{\"a\":7}}"), (s, r, in) -> {
            inputs.add(in);
            return json("{\"v\":" + in.path("v").asInt(0) * 6 + "}");
        });

        assertThat(inputs.get(0)).isEqualTo(json("{\"v\":7,\"id\":\"arn:aws:states:local:0:execution:test:1\"}"));
        assertThat(inputs.get(1)).isEqualTo(json("{\"got\":42}"));
        assertThat(e.output()).isEqualTo(json("{\"got\":42}"));
    }

    @Test
    void aMapKeepsItemOrderAndRespectsMaxConcurrency() {
        String asl = "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"MaxConcurrency\":2,"
                + "\"ItemSelector\":{\"item.$\":\"$$.Map.Item.Value\",\"index.$\":\"$$.Map.Item.Index\"},"
                + "\"ItemProcessor\":{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"End\":true}}},"
                + "\"ResultPath\":\"$.results\",\"End\":true}}}";
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        Execution e = run(asl, json("{\"items\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}"), (s, r, in) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50 * (5 - in.path("index").asInt()));
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return json("\"" + in.path("item").asText().toUpperCase() + "\"");
        });

        assertThat(e.output().path("results")).isEqualTo(json("[\"A\",\"B\",\"C\",\"D\",\"E\"]"));
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void theExecutionTimesOutAsAWhole() {
        String asl = "{\"StartAt\":\"T\",\"TimeoutSeconds\":1,\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"End\":true}}}";
        Execution e = run(asl, json("{}"), (s, r, in) -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            return in;
        });
        assertThat(e.status()).isEqualTo(Execution.TIMED_OUT);
        assertThat(e.error()).isEqualTo(StatesError.TIMEOUT);
    }

    @Test
    void aChoiceWithoutMatchOrDefaultFailsNamingIt() {
        String asl = "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.gtid\","
                + "\"BooleanEquals\":true,\"Next\":\"Done\"}]},\"Done\":{\"Type\":\"Succeed\"}}}";
        assertThat(run(asl, json("{\"gtid\":true}"), (s, r, in) -> in).status()).isEqualTo(Execution.SUCCEEDED);
        Execution e = run(asl, json("{\"gtid\":false}"), (s, r, in) -> in);
        assertThat(e.error()).isEqualTo(StatesError.NO_CHOICE_MATCHED);
    }
}
