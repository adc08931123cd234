package io.mhaserverless.functions;

import io.micronaut.context.exceptions.ConfigurationException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Invokes the phase function outside Lambda, one request per stdin line, one response per stdout
 * line, configured from the environment exactly as in Lambda (MHA_TABLE, MHA_TOPIC_ARN, AWS_REGION,
 * AWS_ENDPOINT_URL…). For running one step by hand against a deployed stack, and for measuring the
 * cold start: stderr gets {@code init=<ms> invoke=<ms>} per request, from JVM start.
 */
public final class Invoke {

    private Invoke() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        PhaseFunction function;
        try {
            function = new PhaseFunction();
        } catch (ConfigurationException e) {
            System.err.println("mha: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.err.printf("jvm-to-main=%d init=%d%n", t0 - jvmStart, System.currentTimeMillis() - t0);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            long start = System.currentTimeMillis();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String result;
            try {
                function.handleRequest(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), out, null);
                result = out.toString(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                result = "{\"errorType\":\"" + e.getClass().getName() + "\"}";
            }
            System.err.printf("invoke=%d since-jvm-start=%d%n", System.currentTimeMillis() - start, System.currentTimeMillis() - jvmStart);
            System.out.println(result);
            System.out.flush();
        }
    }
}
