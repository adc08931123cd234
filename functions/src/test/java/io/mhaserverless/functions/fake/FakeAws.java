package io.mhaserverless.functions.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A wire-level fake of the AWS services that have no emulator here (EC2, SSM, SNS, Secrets
 * Manager, and Step Functions' API in front of a local interpreter), for UNMODIFIED SDK v2 clients that reach it through {@code endpointOverride}: EC2 and
 * SNS speak the query protocol with XML answers, SSM and Secrets Manager AWS JSON 1.1 with
 * X-Amz-Target dispatch. All services share one port; the request itself says which it is for.
 * Signatures are not checked.
 *
 * <p>State is inspectable per service ({@link #ec2()}, {@link #ssm()}, {@link #sns()},
 * {@link #secretsManager()}); every request is logged ({@link #calls()}); {@link #failNext} injects
 * errors in the service's own error shape.
 */
public final class FakeAws implements AutoCloseable {

    /** One request as received; {@code params} for the query protocol, {@code json} for JSON 1.1. */
    public record Call(String service, String operation, Map<String, String> params, JsonNode json) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /**
     * How long AWS would take to answer a request (a modelled latency, for benchmarks): the answer
     * is sent only after it. None by default: the fake answers at once.
     */
    @FunctionalInterface
    public interface Latency {
        Duration of(String service, String operation);
    }

    /** An injected error ({@code code} set) or stall ({@code delay} set) for the next {@code remaining} requests. */
    private record Fault(String code, int status, Duration delay, int[] remaining) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final FakeEc2 ec2 = new FakeEc2();
    private final FakeSsm ssm = new FakeSsm();
    private final FakeSns sns = new FakeSns();
    private final FakeSecretsManager secrets = new FakeSecretsManager();
    private final FakeStepFunctions stepFunctions = new FakeStepFunctions();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private volatile Latency latency;

    private FakeAws(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens on a free loopback port. */
    public static FakeAws start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // 16: under a modelled latency every delayed answer holds its thread, as many do at once on AWS
            ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "fake-aws");
                t.setDaemon(true);
                return t;
            });
            FakeAws fake = new FakeAws(server, threads);
            server.createContext("/", fake::handle);
            server.setExecutor(threads);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FakeAws", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    public FakeEc2 ec2() {
        return ec2;
    }

    public FakeSsm ssm() {
        return ssm;
    }

    public FakeSns sns() {
        return sns;
    }

    public FakeSecretsManager secretsManager() {
        return secrets;
    }

    public FakeStepFunctions stepFunctions() {
        return stepFunctions;
    }

    /**
     * The next {@code times} requests of {@code operation} (e.g. "AssignPrivateIpAddresses",
     * "SendCommand") fail with {@code errorCode} and {@code httpStatus}, before any state changes.
     */
    public void failNext(String operation, int times, String errorCode, int httpStatus) {
        faults.put(operation, new Fault(errorCode, httpStatus, null, new int[] {times}));
    }

    /** The next {@code times} requests of {@code operation} are answered only after {@code delay}: a hung endpoint. */
    public void stallNext(String operation, int times, Duration delay) {
        faults.put(operation, new Fault(null, 0, delay, new int[] {times}));
    }

    /** Every later request is answered after {@code latency}'s delay for its service and operation ({@code null}: at once). */
    public void latency(Latency latency) {
        this.latency = latency;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            AwsRequest request;
            try {
                request = AwsRequest.parse(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                        exchange.getRequestHeaders().getFirst("Authorization"), body);
            } catch (IOException e) {
                send(exchange, new Reply(400, Reply.JSON_11, "{\"__type\":\"SerializationException\",\"message\":\"malformed body\"}"));
                return;
            }
            calls.add(new Call(request.service(), request.operation(), request.params(), request.json()));
            Latency modelled = latency;
            if (modelled != null) {
                pause(modelled.of(request.service(), request.operation()));
            }
            Reply reply;
            try {
                injectedFault(request.operation());
                reply = switch (request.service()) {
                    case "ec2" -> ec2.handle(request);
                    case "ssm" -> ssm.handle(request);
                    case "sns" -> sns.handle(request);
                    case "secretsmanager" -> secrets.handle(request);
                    case "states" -> stepFunctions.handle(request);
                    default -> throw AwsFault.badRequest("UnknownService", "FakeAws does not serve " + request.service());
                };
            } catch (AwsFault f) {
                reply = error(request.service(), f);
            } catch (RuntimeException e) {
                reply = error(request.service(), new AwsFault("InternalFailure", "FakeAws: " + e, 500));
            }
            send(exchange, reply);
        }
    }

    private void injectedFault(String operation) {
        Fault f = faults.get(operation);
        if (f == null) {
            return;
        }
        synchronized (f) {
            if (f.remaining()[0] <= 0) {
                return;
            }
            f.remaining()[0]--;
        }
        if (f.delay() != null) {
            try {
                Thread.sleep(f.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        throw new AwsFault(f.code(), "injected by FakeAws", f.status());
    }

    private static void pause(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error envelope of each protocol, as the SDK's unmarshallers expect it. */
    private static Reply error(String service, AwsFault f) {
        return switch (service) {
            case "ec2" -> new Reply(f.status(), "text/xml;charset=UTF-8",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + Reply.x(f.code())
                            + "</Code><Message>" + Reply.x(f.getMessage()) + "</Message></Error></Errors><RequestID>"
                            + Reply.requestId() + "</RequestID></Response>");
            case "sns" -> new Reply(f.status(), "text/xml;charset=UTF-8",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + FakeSns.NS + "\"><Error><Type>"
                            + (f.status() >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + Reply.x(f.code())
                            + "</Code><Message>" + Reply.x(f.getMessage()) + "</Message></Error><RequestId>"
                            + Reply.requestId() + "</RequestId></ErrorResponse>");
            default -> new Reply(f.status(), Reply.JSON_11, JsonNodeFactory.instance.objectNode()
                    .put("__type", f.code()).put("message", f.getMessage()).toString());
        };
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("x-amzn-RequestId", Reply.requestId());
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        ssm.close();
        stepFunctions.close();
    }
}
