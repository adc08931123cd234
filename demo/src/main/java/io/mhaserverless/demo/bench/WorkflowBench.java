package io.mhaserverless.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.statemachine.AslInterpreter;
import io.mhaserverless.local.statemachine.Execution;
import io.mhaserverless.local.statemachine.StateMachineDefinition;
import io.mhaserverless.local.statemachine.TaskHandler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the local runtime itself costs on the one failover path: asl.json executed with Task
 * answers that do no work (no server, no agent), so what is measured is the interpreter between
 * the phases — the time from the start to the first Task (CheckConfiguration) and the overhead of
 * each state after it. The phases' own time is measured by {@code bench failover}.
 */
@Command(name = "workflow",
        mixinStandardHelpOptions = true,
        description = {"Runs the bundled asl.json N times with Task answers that do no work and prints the time from",
                "the start to the first Task and the interpreter's overhead per state (median / min / max)."})
public final class WorkflowBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--runs", defaultValue = "200", description = "executions (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "50", description = "executions first, not counted (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--gtid", defaultValue = "true", arity = "1", description = "GTID mode (one Map) or file/position (two Maps)")
    boolean gtid;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1 and --warmup at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        AslInterpreter interpreter = new AslInterpreter(StateMachineDefinition.bundled(LocalFailover.SUBSTITUTIONS));
        List<Long> toFirstTask = new ArrayList<>();
        List<Double> perState = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long[] firstTask = {0};
            long started = System.nanoTime();
            TaskHandler tasks = (state, resource, input) -> {
                if (firstTask[0] == 0) {
                    firstTask[0] = System.nanoTime();
                }
                return answer(input);
            };
            Execution e = interpreter.run("arn:aws:states:local:0:execution:bench:" + i, JSON.createObjectNode().put("cluster", "app1"),
                    tasks, ev -> { });
            long total = System.nanoTime() - started;
            if (!e.succeeded()) {
                out.println("run " + i + " ended " + e.status() + ": " + e.error() + ": " + e.cause());
                return 1;
            }
            long states = e.events().stream().filter(ev -> "StateEntered".equals(ev.type())).count();
            if (i >= warmup) {
                toFirstTask.add(firstTask[0] - started);
                perState.add((double) (System.nanoTime() - firstTask[0]) / states);
            }
            if (i == warmup) {
                out.printf("inputs: %d runs after %d warm-up runs, %s mode, %d states entered per execution (Map iterations included)%n",
                        runs, warmup, gtid ? "GTID" : "file/position", states);
            }
        }
        out.println(stats("start -> first Task (CheckConfiguration)", toFirstTask.stream().map(n -> n / 1e6).toList()));
        out.println(stats("interpreter overhead per state", perState.stream().map(n -> n / 1e6).toList()));
        return 0;
    }

    /** The answer of the phase function in shape, with nothing done: what the definition's paths and Choice read. */
    private JsonNode answer(JsonNode input) {
        if (!input.has("Payload")) {
            return JSON.createObjectNode().put("MessageId", "bench");
        }
        JsonNode payload = input.get("Payload");
        String step = payload.path("step").asText();
        ObjectNode result;
        if (step.equals("ApplyRelayLogDiff") || step.equals("RecoverReplica")) {
            result = JSON.createObjectNode().put("name", payload.path("replica").asText()).put("ok", true).put("message", "bench");
        } else if (step.startsWith("Report")) {
            result = JSON.createObjectNode().put("cluster", "app1").put("outcome", "succeeded").put("summary", "bench");
        } else {
            result = JSON.createObjectNode();
            result.set("input", payload.get("input"));
            result.putObject("state").put("cluster", "app1").put("gtid", gtid);
            result.set("replicas", JSON.createArrayNode().add("db2").add("db3").add("db4"));
            result.set("applied", payload.has("applied") ? payload.get("applied") : JSON.createArrayNode());
            result.set("recovered", payload.has("recovered") ? payload.get("recovered") : JSON.createArrayNode());
            result.putObject("config").put("digest", "bench");
        }
        ObjectNode reply = JSON.createObjectNode().put("StatusCode", 200);
        reply.set("Payload", result);
        return reply;
    }

    private static String stats(String what, List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format("%-44s median %8.3f ms   min %8.3f ms   max %8.3f ms   (n=%d)", what, median, sorted[0],
                sorted[sorted.length - 1], sorted.length);
    }
}
