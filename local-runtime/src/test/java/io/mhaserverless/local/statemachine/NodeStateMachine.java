package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * aws-local-stepfunctions (Node) running statemachine/asl.json: the reference that
 * {@link AslParityTest} holds {@link AslInterpreter} against. Every Task state calls back into this
 * JVM over loopback HTTP, where a {@link TaskHandler} answers it. Test-only: nothing that ships
 * needs Node. The job goes to Node on stdin, never on its command line; Node and
 * {@code statemachine/node_modules} come from {@code scripts/setup}.
 */
final class NodeStateMachine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Path definition;
    private final Map<String, String> substitutions;
    private final Duration limit;

    /**
     * @param directory     the statemachine/ directory: asl.json, local/run.mjs, node_modules
     * @param substitutions the values of asl.json's {@code ${...}} placeholders, as CDK passes them
     * @param limit         the longest this JVM waits for one execution (the definition has its own TimeoutSeconds)
     */
    NodeStateMachine(Path directory, Map<String, String> substitutions, Duration limit) {
        this(directory, directory.resolve("asl.json"), substitutions, limit);
    }

    /** Another definition (e.g. one already substituted, as CreateStateMachine receives it), run with the same runner. */
    NodeStateMachine(Path directory, Path definition, Map<String, String> substitutions, Duration limit) {
        this.directory = directory;
        this.definition = definition;
        this.substitutions = Map.copyOf(substitutions);
        this.limit = limit;
    }

    /** The statemachine/ directory of this checkout: {@code -Dmha.statemachine.dir}, else found upwards from the working directory. */
    public static Path locate() {
        String configured = System.getProperty("mha.statemachine.dir", System.getenv("MHA_STATEMACHINE_DIR"));
        if (configured != null && !configured.isBlank()) {
            return requireInstalled(Path.of(configured).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("statemachine/asl.json"))) {
                return requireInstalled(dir.resolve("statemachine"));
            }
        }
        throw new IllegalStateException("cannot find statemachine/asl.json above " + Path.of("").toAbsolutePath()
                + ": run from the project's checkout or set -Dmha.statemachine.dir");
    }

    private static Path requireInstalled(Path dir) {
        if (!Files.isRegularFile(dir.resolve("asl.json"))) {
            throw new IllegalStateException(dir + " has no asl.json");
        }
        if (!Files.isDirectory(dir.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new IllegalStateException(dir + "/node_modules lacks aws-local-stepfunctions: run scripts/setup"
                    + " (or npm ci --prefix " + dir + ")");
        }
        return dir;
    }

    public Path definition() {
        return definition;
    }

    /** Runs one execution to its end; {@code events} sees the history as it happens. */
    public Execution run(String executionArn, JsonNode input, TaskHandler tasks, Consumer<Event> events) {
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-sfn-task");
            t.setDaemon(true);
            return t;
        });
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the state machine's tasks", e);
        }
        server.createContext("/task", exchange -> answer(exchange, tasks));
        server.setExecutor(threads);
        server.start();
        Process node = null;
        try {
            ObjectNode job = JSON.createObjectNode();
            job.put("definition", definition().toString());
            job.set("substitutions", JSON.valueToTree(substitutions));
            job.set("input", input);
            job.set("context", context(executionArn, input));
            job.put("taskEndpoint", "http://127.0.0.1:" + server.getAddress().getPort() + "/task");
            node = new ProcessBuilder(nodeBinary(), directory.resolve("local/run.mjs").toString())
                    .directory(directory.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (OutputStream stdin = node.getOutputStream()) {
                stdin.write(JSON.writeValueAsBytes(job));
            }
            List<Event> history = new ArrayList<>();
            JsonNode result = null;
            Process running = node;
            var reading = threads.submit(() -> readLines(running, history, events));
            if (!node.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                node.destroyForcibly();
                return new Execution(executionArn, "TIMED_OUT", null, "States.Timeout",
                        "the local runtime gave up after " + limit.toSeconds() + " s", List.copyOf(history));
            }
            result = reading.get(10, TimeUnit.SECONDS);
            if (result == null) {
                return new Execution(executionArn, "FAILED", null, "States.Runtime",
                        "the local state machine runner exited with " + node.exitValue() + " and no result", List.copyOf(history));
            }
            return new Execution(executionArn, result.path("status").asText(), result.get("output"),
                    text(result, "error"), text(result, "cause"), List.copyOf(history));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the local state machine (is node installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the state machine ran", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the state machine runner's output", e);
        } finally {
            if (node != null && node.isAlive()) {
                node.destroyForcibly();
            }
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static JsonNode readLines(Process node, List<Event> history, Consumer<Event> events) throws IOException {
        JsonNode result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode j = JSON.readTree(line);
                if ("result".equals(j.path("type").asText())) {
                    result = j;
                } else {
                    Event e = new Event(j.path("event").asText(), j.path("timestamp").asLong(), text(j, "state"), text(j, "parent"),
                            j.has("index") ? j.get("index").asInt() : null, text(j, "error"), text(j, "cause"));
                    history.add(e);
                    events.accept(e);
                }
            }
        }
        return result;
    }

    private static void answer(HttpExchange exchange, TaskHandler tasks) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            ObjectNode reply = JSON.createObjectNode();
            try {
                reply.set("output", tasks.handle(request.path("state").asText(), request.path("resource").asText(),
                        request.get("input")));
            } catch (StatesError f) {
                reply.put("error", f.error());
                reply.put("cause", f.cause());
            } catch (RuntimeException e) {
                reply.put("error", "States.TaskFailed");
                reply.put("cause", "the local task handler failed: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The context object's fields the definition reads ({@code $$.Execution.Id}), as Step Functions fills them. */
    private static ObjectNode context(String executionArn, JsonNode input) {
        ObjectNode context = JSON.createObjectNode();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", executionArn);
        execution.put("Name", executionArn.substring(executionArn.lastIndexOf(':') + 1));
        execution.put("StartTime", java.time.Instant.now().toString());
        execution.set("Input", input);
        String machine = executionArn.replace(":execution:", ":stateMachine:");
        machine = machine.substring(0, machine.lastIndexOf(':'));
        context.putObject("StateMachine").put("Id", machine).put("Name", machine.substring(machine.lastIndexOf(':') + 1));
        return context;
    }

    private static String nodeBinary() {
        return Optional.ofNullable(System.getenv("MHA_NODE")).filter(s -> !s.isBlank()).orElse("node");
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
