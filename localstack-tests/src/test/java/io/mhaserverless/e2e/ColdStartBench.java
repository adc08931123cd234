package io.mhaserverless.e2e;

import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The phase function's cold start, measured (a benchmark: it prints numbers and asserts none). A
 * fresh JVM on a Lambda package ({@code io.mhaserverless.functions.Invoke}, the flags the CDK stack
 * gives Lambda) answers CheckConfiguration twice — lock in DynamoDB Local, config from Parameter
 * Store and the password from Secrets Manager (FakeAws), discovery of a real MariaDB topology that
 * refuses the failover because its master is alive — first cold, then warm.
 *
 * <p>Several packages are compared in one run: for each round every package gets one fresh JVM, in
 * an order that alternates between rounds, so a neighbour's load on the machine falls on all of
 * them alike. Per package: median and max of spawn → first answer ("cold") and of the second call
 * ("warm"), the JVM's own init/invoke split, and the jar's size.
 *
 * <p>Run: {@code scripts/coldstart-bench [--before <git ref>] [--runs N]}, or by hand
 * {@code java -cp <localstack-tests test classpath> io.mhaserverless.e2e.ColdStartBench [--runs N] [label=jar ...]}
 * (default: {@code after=functions/target/mha-functions-lambda.jar}).
 */
public final class ColdStartBench {

    /** Far above any answer seen; a JVM that takes longer is killed and its round reported as failed. */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;

    private ColdStartBench() {
    }

    /**
     * One fresh JVM: ms from spawn to the first answer and of the second call, as this process saw
     * them; as the JVM itself reported them ({@code Invoke}'s stderr): handler construction and
     * the first call; and the CPU time the JVM had used by its second answer (all its threads), which
     * other processes' load on the machine changes far less than wall time.
     */
    record Sample(long cold, long warm, long init, long firstInvoke, long cpu) {
    }

    /** Exits in every case: a failure must not leave the fakes' server threads, and so this JVM, running. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int runs = 7;
        boolean asJar = false;
        Map<String, Path> jars = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--as-jar")) {
                asJar = true;
            } else if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                jars.put(kv[0], Path.of(kv[1]).toAbsolutePath());
            } else {
                throw new IllegalArgumentException("expected --runs N or label=path/to/lambda.jar, got '" + args[i] + "'");
            }
        }
        if (jars.isEmpty()) {
            jars.put("after", Checkout.root().resolve("functions/target/mha-functions-lambda.jar"));
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            if (!Files.isRegularFile(jar.getValue())) {
                throw new IllegalArgumentException(jar.getKey() + ": no file " + jar.getValue());
            }
        }
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        jars.keySet().forEach(label -> results.put(label, new ArrayList<>()));
        Map<String, Integer> failures = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("mha-coldstart");
        // Lambda unpacks a Java deployment package into /var/task and loads the classes from there,
        // not from the jar; so does the bench unless told --as-jar.
        Map<String, Path> classpaths = new LinkedHashMap<>();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            classpaths.put(jar.getKey(), asJar ? jar.getValue() : unpack(jar.getValue(), work.resolve("task-" + jar.getKey())));
        }
        System.out.printf("%d cores, %s; %d rounds; classes from %s; packages: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), runs,
                asJar ? "the jar" : "the unpacked jar, as in Lambda", jars);
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, ReplicationMode.GTID));
             LocalAwsStack stack = new LocalAwsStack(sandbox, work)) {
            List<String> labels = new ArrayList<>(jars.keySet());
            for (int run = 1; run <= runs; run++) {
                List<String> order = new ArrayList<>(labels);
                if (run % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String label : order) {
                    try {
                        Sample s = sample(stack, classpaths.get(label), label + "-" + run);
                        results.get(label).add(s);
                        System.out.printf("round %d %-8s cold %5d ms | warm %4d ms | in the JVM: init %5d ms, first call %4d ms | cpu %5d ms%n",
                                run, label, s.cold(), s.warm(), s.init(), s.firstInvoke(), s.cpu());
                    } catch (RuntimeException | IOException e) {
                        failures.merge(label, 1, Integer::sum);
                        System.out.printf("round %d %-8s FAILED: %s%n", run, label, e.getMessage());
                    }
                }
            }
        }
        deleteRecursively(work);
        System.out.println();
        System.out.printf("%-8s %8s %8s %8s %8s %8s %8s %8s %6s %8s%n", "package", "cold med", "cold max", "warm med", "warm max",
                "init med", "1st med", "cpu med", "runs", "jar MB");
        for (Map.Entry<String, List<Sample>> e : results.entrySet()) {
            List<Sample> s = e.getValue();
            double mb = Files.size(jars.get(e.getKey())) / 1_000_000.0;
            if (s.isEmpty()) {
                System.out.printf("%-8s no successful run%n", e.getKey());
                continue;
            }
            System.out.printf("%-8s %8d %8d %8d %8d %8d %8d %8d %6s %8.1f%n", e.getKey(), median(s, Sample::cold), max(s, Sample::cold),
                    median(s, Sample::warm), max(s, Sample::warm), median(s, Sample::init), median(s, Sample::firstInvoke),
                    median(s, Sample::cpu),
                    s.size() + (failures.containsKey(e.getKey()) ? "+" + failures.get(e.getKey()) + "F" : ""), mb);
        }
        System.out.println("(ms; cold = spawn -> first answer, warm = the second call in the same JVM; init = handler construction"
                + " and 1st = the first call, as the JVM reported them; cpu = the JVM's CPU time up to its second answer;"
                + " jar MB = 10^6 bytes)");
    }

    /** One fresh JVM answering two requests; every wait bounded, the JVM killed whatever happens. */
    private static Sample sample(LocalAwsStack stack, Path jar, String id) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(java(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(),
                "io.mhaserverless.functions.Invoke");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("MHA_") || name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS"));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        env.put("AWS_ENDPOINT_URL", stack.aws.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoDbEndpoint().toString());
        env.put("MHA_TABLE", LocalAwsStack.TABLE);
        env.put("MHA_TOPIC_ARN", stack.topicArn);
        long spawned = System.nanoTime();
        Process p = pb.start();
        try {
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            Map<String, Long> timings = new java.util.concurrent.ConcurrentHashMap<>();
            Thread out = drain(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), line -> {
                if (line.startsWith("{")) { // the function's own log lines share stdout
                    answers.add(line);
                }
            });
            Thread err = drain(new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8)), line -> {
                for (String field : line.split(" ")) { // "jvm-to-main=41 init=1033", then "invoke=500 since-jvm-start=1576" per call
                    String[] kv = field.split("=", 2);
                    if (kv.length == 2 && kv[1].matches("\\d+")) {
                        timings.putIfAbsent(kv[0], Long.parseLong(kv[1]));
                    }
                }
            });
            long[] r = new long[3]; // cold, first call as seen from here, warm
            long cpu;
            OutputStream in = p.getOutputStream();
            try {
                for (int i = 0; i < 2; i++) {
                    String execution = "arn:aws:states:us-east-1:000000000000:execution:bench:" + id + "-" + i;
                    String request = "{\"step\":\"CheckConfiguration\",\"execution\":\"" + execution
                            + "\",\"input\":{\"cluster\":\"" + LocalAwsStack.CLUSTER + "\"}}\n";
                    long sent = System.nanoTime();
                    in.write(request.getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    String answer = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    long now = System.nanoTime();
                    try {
                        if (answer == null) {
                            throw new IllegalStateException("no answer within " + ANSWER_TIMEOUT_SECONDS + " s (alive: " + p.isAlive() + ")");
                        }
                        if (!answer.contains("FailoverException")) {
                            throw new IllegalStateException("unexpected answer (expected the live master's refusal): " + answer);
                        }
                    } finally {
                        stack.stateStore.unlock(LocalAwsStack.CLUSTER, execution);
                    }
                    if (i == 0) {
                        r[0] = millis(now - spawned);
                        r[1] = millis(now - sent);
                    } else {
                        r[2] = millis(now - sent);
                    }
                }
                cpu = p.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L); // while it still runs
            } finally {
                in.close();
            }
            if (!p.waitFor(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the JVM did not exit after its input closed");
            }
            out.join(TimeUnit.SECONDS.toMillis(10));
            err.join(TimeUnit.SECONDS.toMillis(10));
            return new Sample(r[0], r[2], timings.getOrDefault("init", -1L), timings.getOrDefault("invoke", -1L), cpu);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The jar's entries under {@code dir}, as Lambda lays a deployment package out in /var/task. */
    private static Path unpack(Path jar, Path dir) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(jar + ": entry outside the package: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (java.io.InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return dir;
    }

    private static Thread drain(BufferedReader reader, java.util.function.Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.accept(line);
                }
            } catch (IOException closed) {
                // the JVM is gone
            }
        }, "coldstart-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        long[] v = samples.stream().mapToLong(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long max(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        return samples.stream().mapToLong(f).max().orElseThrow();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
