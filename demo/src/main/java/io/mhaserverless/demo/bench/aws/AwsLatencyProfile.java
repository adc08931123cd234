package io.mhaserverless.demo.bench.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-call AWS delays for {@code mha-demo bench failover --aws-latencies FILE}: one line per key,
 * {@code key = median_ms [p99_ms]}, {@code #} comments (each line's source). A fixed delay when
 * only the median is given; otherwise drawn from a log-normal with that median and p99 (a
 * long-tailed latency, the usual shape of a network call), from a seeded generator so two runs of
 * the bench draw alike. Every draw is counted per key: what each entry contributed.
 *
 * <p>Parsed by hand, not with {@link java.util.Properties}: an error names the line.
 */
public final class AwsLatencyProfile {

    /** Every key a profile must give; no other is accepted (a misspelt key would be silently zero). */
    public static final List<String> KEYS = List.of(
            "probe.nextTick",
            "stepfunctions.StartExecution", "stepfunctions.transition",
            "lambda.invoke", "lambda.snapStartRestore",
            "ssm.SendCommand", "ssm.delivery", "ssm.GetCommandInvocation", "ssm.api",
            "secretsmanager.GetSecretValue",
            "ec2.AssignPrivateIpAddresses", "ec2.api", "ec2.propagation",
            "dynamodb.conditionalWrite", "dynamodb.read",
            "sns.Publish");

    private static final double Z99 = 2.3263478740408408; // the standard normal's 99th percentile
    private static final Set<String> DYNAMODB_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
            "BatchWriteItem");

    /** One entry: its median and p99 in ms (p99 = median: fixed). */
    public record Entry(String key, double medianMs, double p99Ms) {
    }

    /** What an entry contributed: how many calls, how many ms in all. */
    public record Contribution(String key, long calls, long millis) {
    }

    /** One draw: when (ms since the epoch, at the draw, before the wait), which key, how long. */
    public record Draw(long at, String key, long millis) {
    }

    /** A profile that cannot be used; the message names the file, the line and the key. */
    public static final class BadProfile extends RuntimeException {
        BadProfile(String message) {
            super(message);
        }
    }

    private final Map<String, Entry> entries;
    private final Random random;
    private final Map<String, LongAdder[]> used = new ConcurrentHashMap<>();
    private final List<Draw> draws = new java.util.concurrent.CopyOnWriteArrayList<>();

    private AwsLatencyProfile(Map<String, Entry> entries, long seed) {
        this.entries = entries;
        this.random = new Random(seed);
    }

    public static AwsLatencyProfile read(Path file, long seed) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadProfile("--aws-latencies " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(lines, file.toString(), seed);
    }

    public static AwsLatencyProfile parse(List<String> lines, String origin, long seed) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = origin + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int hash = line.indexOf('#');
            String body = (hash < 0 ? line : line.substring(0, hash)).strip();
            int eq = body.indexOf('=');
            if (eq < 0) {
                throw new BadProfile(where + ": expected 'key = median_ms [p99_ms]', got '" + body + "'");
            }
            String key = body.substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new BadProfile(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (entries.containsKey(key)) {
                throw new BadProfile(where + ": key '" + key + "' given twice");
            }
            String[] values = body.substring(eq + 1).strip().split("\\s+");
            if (values.length < 1 || values.length > 2 || values[0].isEmpty()) {
                throw new BadProfile(where + ": key '" + key + "' needs 'median_ms' or 'median_ms p99_ms'");
            }
            double median = number(values[0], where, key);
            double p99 = values.length == 2 ? number(values[1], where, key) : median;
            if (p99 < median) {
                throw new BadProfile(where + ": key '" + key + "': p99 " + values[1] + " is below the median " + values[0]);
            }
            entries.put(key, new Entry(key, median, p99));
        }
        List<String> missing = KEYS.stream().filter(k -> !entries.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new BadProfile(origin + ": missing key(s) " + String.join(", ", missing));
        }
        return new AwsLatencyProfile(entries, seed);
    }

    private static double number(String text, String where, String key) {
        try {
            double v = Double.parseDouble(text);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadProfile(where + ": key '" + key + "': '" + text + "' is not a number of milliseconds ≥ 0");
        }
    }

    public Entry entry(String key) {
        return entries.get(key);
    }

    public Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    /** One draw of {@code key}'s delay, counted as its contribution. */
    public Duration draw(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new IllegalArgumentException("no latency key " + key);
        }
        double ms;
        if (e.p99Ms() <= e.medianMs() || e.medianMs() == 0) {
            ms = e.medianMs();
        } else {
            double sigma = Math.log(e.p99Ms() / e.medianMs()) / Z99;
            double g;
            synchronized (random) {
                g = random.nextGaussian();
            }
            ms = e.medianMs() * Math.exp(sigma * g);
        }
        long millis = Math.round(ms);
        LongAdder[] u = used.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        u[0].increment();
        u[1].add(millis);
        draws.add(new Draw(System.currentTimeMillis(), key, millis));
        return Duration.ofMillis(millis);
    }

    /** The key a FakeAws request is modelled by, or null for a call the model leaves at zero. */
    public static String keyOf(String service, String operation) {
        return switch (service) {
            case "ssm" -> switch (operation) {
                case "SendCommand", "GetCommandInvocation" -> "ssm." + operation;
                default -> "ssm.api";
            };
            case "ec2" -> operation.equals("AssignPrivateIpAddresses") ? "ec2.AssignPrivateIpAddresses" : "ec2.api";
            case "sns" -> operation.equals("Publish") ? "sns.Publish" : null;
            case "secretsmanager" -> operation.equals("GetSecretValue") ? "secretsmanager.GetSecretValue" : null;
            case "states" -> operation.equals("StartExecution") ? "stepfunctions.StartExecution" : null;
            case "dynamodb" -> DYNAMODB_WRITES.contains(operation) ? "dynamodb.conditionalWrite" : "dynamodb.read";
            default -> null;
        };
    }

    /** A delay for a request, drawn and counted, or zero. */
    public Duration forCall(String service, String operation) {
        String key = keyOf(service, operation);
        return key == null ? Duration.ZERO : draw(key);
    }

    /** What each key contributed since the last reset, in {@link #KEYS} order. */
    public List<Contribution> contributions() {
        return KEYS.stream().filter(used::containsKey)
                .map(k -> new Contribution(k, used.get(k)[0].sum(), used.get(k)[1].sum())).toList();
    }

    /** Every draw since the last reset, in order. */
    public List<Draw> draws() {
        return List.copyOf(draws);
    }

    public void resetContributions() {
        used.clear();
        draws.clear();
    }
}
