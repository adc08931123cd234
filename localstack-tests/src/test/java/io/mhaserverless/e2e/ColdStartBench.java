package io.mhaserverless.e2e;

import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The phase function's cold start, measured: a fresh JVM on the Lambda package
 * (functions/target/mha-functions-lambda.jar, {@code io.mhaserverless.functions.Invoke}) answers
 * CheckConfiguration twice — lock in DynamoDB Local, config from Parameter Store and the password
 * from Secrets Manager (FakeAws), discovery of a real MariaDB topology — first cold, then warm.
 * A failover runs ten steps: one function pays one cold start, a function per phase ten.
 *
 * <p>Run: {@code ./mvnw -q -o -pl localstack-tests test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.mhaserverless.e2e.ColdStartBench [-Dexec.args=5]} after {@code ./mvnw -o install -DskipTests}.
 */
public final class ColdStartBench {

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path jar = Checkout.root().resolve("functions/target/mha-functions-lambda.jar");
        Path work = Files.createTempDirectory("mha-coldstart");
        List<long[]> results = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(2, ReplicationMode.GTID));
             LocalAwsStack stack = new LocalAwsStack(sandbox, work)) {
            for (int run = 1; run <= runs; run++) {
                ProcessBuilder pb = new ProcessBuilder(java(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(),
                        "io.mhaserverless.functions.Invoke");
                Map<String, String> env = pb.environment();
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
                env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
                env.put("AWS_ENDPOINT_URL", stack.aws.endpoint().toString());
                env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoDbEndpoint().toString());
                env.put("MHA_TABLE", LocalAwsStack.TABLE);
                env.put("MHA_TOPIC_ARN", stack.topicArn);
                long spawned = System.currentTimeMillis();
                Process p = pb.redirectError(ProcessBuilder.Redirect.PIPE).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
                long[] r = new long[3];
                try (OutputStream in = p.getOutputStream()) {
                    for (int i = 0; i < 2; i++) {
                        String execution = "arn:aws:states:us-east-1:000000000000:execution:bench:" + run + "-" + i;
                        String request = "{\"step\":\"CheckConfiguration\",\"execution\":\"" + execution
                                + "\",\"input\":{\"cluster\":\"" + LocalAwsStack.CLUSTER + "\"}}\n";
                        long sent = System.currentTimeMillis();
                        in.write(request.getBytes(StandardCharsets.UTF_8));
                        in.flush();
                        String answer = out.readLine();
                        while (answer != null && !answer.startsWith("{")) { // the function's own log lines share stdout
                            answer = out.readLine();
                        }
                        long now = System.currentTimeMillis();
                        if (answer == null || !answer.contains("FailoverException")) {
                            throw new IllegalStateException("unexpected answer (expected the live master's refusal): " + answer);
                        }
                        if (i == 0) {
                            r[0] = now - spawned;
                            r[1] = now - sent;
                        } else {
                            r[2] = now - sent;
                        }
                        stack.stateStore.unlock(LocalAwsStack.CLUSTER, execution);
                    }
                }
                p.waitFor();
                String timings = String.join(" ", err.lines().filter(l -> l.contains("=")).toList());
                System.out.printf("run %d: cold (spawn -> first answer) %4d ms | warm second invocation %4d ms | %s%n", run, r[0], r[2],
                        timings);
                results.add(r);
            }
        }
        System.out.printf("median cold %d ms, median warm %d ms over %d runs; ten steps: one function %d ms of start-up, one per phase %d ms%n",
                median(results, 0), median(results, 2), runs, median(results, 0) + 9 * median(results, 2), 10 * median(results, 0));
    }

    private static long median(List<long[]> rs, int i) {
        List<Long> v = rs.stream().map(r -> r[i]).sorted().toList();
        return v.get(v.size() / 2);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
