package io.mhaserverless.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.node.protocol.AgentLauncher;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.JsonObject;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast a node agent call answers: spawn of {@code java … -jar mha-node-agent.jar} to its parsed
 * JSON answer, for the two calls a failover waits for on every host (check-master against a live
 * sandbox master; save-binlog with nothing to save, on that master's binlog directory with --from
 * at its end). Each launch variant adds one measure, so the differences are what each bought.
 * Prints numbers; asserts only that every answer is the expected one.
 */
@Command(name = "agent-start",
        header = "Node agent start: spawn to JSON answer, per launch variant.",
        mixinStandardHelpOptions = true,
        description = {"Spawns the node agent jar --runs times per variant and command (variants interleaved, so load drifts "
                        + "hit all alike) and prints median/min/max of wall time from spawn to the parsed JSON answer, and the "
                        + "median CPU time of the child (user+sys, via /usr/bin/time when installed). Commands: check-master "
                        + "against a 1+1 sandbox's master; save-binlog with --from at the end of that master's binlog (nothing to "
                        + "save, exit 10).",
                "Variants: defaults (JVM defaults, picocli start path); c1-serial (+ -XX:TieredStopAtLevel=1 -XX:+UseSerialGC); "
                        + "c1-serial-cds (+ a class-data archive made by the bench from one picocli-path run of the same command); "
                        + "quick (C1 + serial GC, the picocli-free start path); quick-cds (+ the archive built beside the jar); "
                        + "quick-cds-noperf (+ -XX:-UsePerfData: what the launchers use); quick-aot-noperf (JDK 25+ only: the AOT "
                        + "cache a host's install makes, -XX:AOTCacheOutput from CdsTraining, in place of the archive; made by the "
                        + "bench in its work directory); quick-aot-native (+ -Djdk.reflect.useNativeAccessorOnly=true: what the "
                        + "launchers use on JDK 25).",
                "The report goes to stderr; the JSON on stdout has the same numbers."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "1:error", "2:usage error"})
final class AgentStartBench implements Callable<Integer> {

    static final List<String> VARIANTS = List.of("defaults", "c1-serial", "c1-serial-cds", "quick", "quick-cds", "quick-cds-noperf",
            "quick-aot-noperf", "quick-aot-native");
    private static final List<String> AOT = List.of("quick-aot-noperf", "quick-aot-native");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> C1_SERIAL = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** JVM warnings (a rejected archive) to stderr: stdout is the agent's JSON. */
    private static final List<String> WARNINGS_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");
    private static final String PICOCLI_PATH = "-Dmha.agent.quick-start=false";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--runs", defaultValue = "20", paramLabel = "N", description = "runs per variant and command (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--agent-jar", defaultValue = "node-agent/target/mha-node-agent.jar", paramLabel = "JAR",
            description = "the shaded agent jar; its class-data archive is the .jsa beside it (default: ${DEFAULT-VALUE})")
    Path jar;

    @Option(names = "--variants", split = ",", paramLabel = "V[,V…]",
            description = "which variants, of: defaults, c1-serial, c1-serial-cds, quick, quick-cds, quick-cds-noperf, quick-aot-noperf, "
                    + "quick-aot-native "
                    + "(default: all that the java can run)")
    List<String> variants;

    @Option(names = "--no-cds", description = "leave out the variants with a class-data archive")
    boolean noCds;

    @Option(names = "--java", paramLabel = "JAVA", description = "the java to start the agent with (default: this JVM's)")
    Path java;

    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = variants == null ? VARIANTS : variants;
        if (runs < 1 || !VARIANTS.containsAll(chosen)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be positive and --variants of " + VARIANTS);
        }
        if (!Files.isRegularFile(jar)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--agent-jar " + jar + " does not exist: build it (./mvnw -o -pl node-agent -am package -DskipTests)");
        }
        if (noCds) {
            chosen = chosen.stream().filter(v -> !v.endsWith("-cds")).toList();
        }
        if (java != null && !Files.isExecutable(java)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--java " + java + " is not an executable file");
        }
        String javaCommand = java != null ? java.toString() : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int jdk = AgentStartBench.jdkFeature(javaCommand);
        if (jdk < AgentLauncher.AOT_CACHE_JDK) {
            if (variants != null && variants.stream().anyMatch(AOT::contains)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--variants " + AOT + " need a JDK "
                        + AgentLauncher.AOT_CACHE_JDK + " or later; " + javaCommand + " is " + jdk + ": give --java");
            }
            chosen = chosen.stream().filter(v -> !AOT.contains(v)).toList();
        }
        Path archive = jar.toAbsolutePath().resolveSibling("mha-node-agent.jsa");
        if ((chosen.contains("quick-cds") || chosen.contains("quick-cds-noperf")) && !Files.isRegularFile(archive)) {
            throw new CommandLine.ParameterException(spec.commandLine(), archive + " does not exist (built with the jar unless "
                    + "-Dmha.cds.skip): give --no-cds or build it");
        }
        err = spec.commandLine().getErr();
        JsonObject json = new JsonObject().put("status", "ok");
        machine(json, javaCommand, chosen);

        Path work = OwnedTempFiles.createDirectory(OwnedTempFiles.defaultDirectory(), "bench-agent-start");
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(1, ReplicationMode.FILE))) {
            ServerNode master = sandbox.master();
            master.execute("CREATE DATABASE IF NOT EXISTS bench", "CREATE TABLE bench.t (id INT PRIMARY KEY, v VARCHAR(40))",
                    "INSERT INTO bench.t VALUES (1, 'one'), (2, 'two')", "UPDATE bench.t SET v = 'uno' WHERE id = 1");
            String file = masterFile(master);
            long end = Files.size(master.dataDir().resolve(file));
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("check-master", List.of("check-master", "--host", master.host(), "--port", String.valueOf(master.port())));
            commands.put("save-binlog", List.of("save-binlog", "--binlog-dir", master.dataDir().toString(), "--from", file + ":" + end,
                    "--out", work.resolve("saved.binlog").toString()));
            report("inputs: %s (%s); check-master %s:%d; save-binlog --binlog-dir %s --from %s:%d (its end: nothing to save)",
                    jar.toAbsolutePath(), Files.size(jar) / 1024 + " KiB", master.host(), master.port(), master.dataDir(), file, end);
            json.object("inputs").put("jar", jar.toAbsolutePath().toString()).put("runs", runs).put("checkMaster", master.host() + ":" + master.port())
                    .put("saveBinlogFrom", file + ":" + end);

            Map<String, Map<String, List<String>>> launches = new LinkedHashMap<>();
            for (String v : chosen) {
                Map<String, List<String>> byCommand = new LinkedHashMap<>();
                for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                    byCommand.put(c.getKey(), launch(v, javaCommand, archive, work, c.getValue()));
                }
                launches.put(v, byCommand);
            }
            Map<String, Samples> samples = new LinkedHashMap<>();
            Samples floor = new Samples();
            for (int run = 0; run < runs; run++) {
                floor.add(jvmAlone(javaCommand, work));
                for (String v : chosen) {
                    for (String c : commands.keySet()) {
                        samples.computeIfAbsent(v + " " + c, k -> new Samples()).add(call(launches.get(v).get(c), c, work));
                    }
                }
            }
            report("");
            report("%-16s %-13s %8s %8s %8s %9s", "variant", "command", "median", "min", "max", "cpu med");
            report("%-16s %-13s %6d ms %5d ms %5d ms %6s", "(the JVM alone)", "-version", floor.median(floor.wall), floor.min(),
                    floor.max(), floor.cpu.isEmpty() ? "-" : floor.median(floor.cpu) + " ms");
            json.object("jvmAlone").put("medianMs", floor.median(floor.wall)).put("minMs", floor.min()).put("maxMs", floor.max());
            JsonObject results = json.object("results");
            for (String v : chosen) {
                for (String c : commands.keySet()) {
                    Samples s = samples.get(v + " " + c);
                    report("%-16s %-13s %6d ms %5d ms %5d ms %6s", v, c, s.median(s.wall), s.min(), s.max(),
                            s.cpu.isEmpty() ? "-" : s.median(s.cpu) + " ms");
                    results.object(v).object(c).put("medianMs", s.median(s.wall)).put("minMs", s.min()).put("maxMs", s.max())
                            .put("cpuMedianMs", s.cpu.isEmpty() ? -1 : s.median(s.cpu));
                }
            }
            report("load average after: %s", loadAverage());
            json.object("machine").put("loadAverageAfter", loadAverage());
        } finally {
            OwnedTempFiles.deleteTree(work);
        }
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The command line of one variant; the c1-serial-cds archive is made here, from one run of this very command. */
    private List<String> launch(String variant, String javaCommand, Path archive, Path work, List<String> agentArgs) throws Exception {
        List<String> flags = new ArrayList<>(WARNINGS_TO_STDERR);
        switch (variant) {
            case "defaults" -> flags.add(PICOCLI_PATH);
            case "c1-serial" -> {
                flags.addAll(C1_SERIAL);
                flags.add(PICOCLI_PATH);
            }
            case "c1-serial-cds" -> {
                flags.addAll(C1_SERIAL);
                flags.add(PICOCLI_PATH);
                Path own = work.resolve("picocli-" + agentArgs.get(0) + ".jsa");
                List<String> dump = new ArrayList<>(flags);
                dump.add("-XX:ArchiveClassesAtExit=" + own);
                call(command(javaCommand, dump, agentArgs), agentArgs.get(0), work);
                flags.add("-XX:SharedArchiveFile=" + own);
                flags.add("-Xshare:auto");
            }
            case "quick" -> flags.addAll(C1_SERIAL);
            case "quick-cds" -> {
                flags.addAll(C1_SERIAL);
                flags.add("-XX:SharedArchiveFile=" + archive);
                flags.add("-Xshare:auto");
            }
            case "quick-cds-noperf" -> {
                flags.addAll(C1_SERIAL);
                flags.add("-XX:-UsePerfData");
                flags.add("-XX:SharedArchiveFile=" + archive);
                flags.add("-Xshare:auto");
            }
            case "quick-aot-noperf" -> {
                flags.addAll(C1_SERIAL);
                flags.add("-XX:-UsePerfData");
                flags.add("-XX:AOTCache=" + aotCache(javaCommand, work));
            }
            case "quick-aot-native" -> {
                flags.addAll(C1_SERIAL);
                flags.add("-XX:-UsePerfData");
                flags.add(AgentLauncher.NATIVE_REFLECTION);
                flags.add("-XX:AOTCache=" + aotCache(javaCommand, work));
            }
            default -> throw new IllegalArgumentException(variant);
        }
        List<String> command = command(javaCommand, flags, agentArgs);
        report("%-16s %s", variant, String.join(" ", flags));
        return command;
    }

    /** The AOT cache a host's install makes (infra/cdk/README.md), made once per bench in its work directory. */
    private Path aotCache(String javaCommand, Path work) throws Exception {
        Path cache = work.resolve(AgentLauncher.AOT_CACHE);
        if (!Files.isRegularFile(cache)) {
            Path log = work.resolve("aot-training.log");
            Process p = new ProcessBuilder(javaCommand, "-XX:AOTCacheOutput=" + cache, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    AgentLauncher.NATIVE_REFLECTION, "-cp", jar.toAbsolutePath().toString(), "io.mhaserverless.node.CdsTraining")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the AOT training run did not end within 120 s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
                throw new IllegalStateException("the AOT training run exited " + p.exitValue() + ": " + Files.readString(log));
            }
        }
        return cache;
    }

    /** The feature release of a java command (17, 21, 25, …), from its own properties. */
    static int jdkFeature(String javaCommand) throws Exception {
        Process p = new ProcessBuilder(javaCommand, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(javaCommand + " -version did not end within 30 s");
        }
        return out.lines().map(String::strip).filter(l -> l.startsWith("java.specification.version = ")).findFirst()
                .map(l -> Integer.parseInt(l.substring(l.indexOf('=') + 1).strip()))
                .orElseThrow(() -> new IllegalStateException(javaCommand + " does not say its java.specification.version"));
    }

    private List<String> command(String javaCommand, List<String> flags, List<String> agentArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(agentArgs);
        return command;
    }

    private record Sample(long wallMs, long cpuMs) {
    }

    /** One call: spawn to parsed answer; fails the bench when the answer is not the expected one. */
    private Sample call(List<String> command, String which, Path work) throws Exception {
        Path cpu = work.resolve("cpu.txt");
        List<String> argv = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            argv.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpu.toString()));
        }
        argv.addAll(command);
        Path stderr = work.resolve("stderr.txt");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectError(stderr.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(which + " did not answer within 60 s: " + String.join(" ", command));
        }
        JsonNode answer = JSON.readTree(new String(out, StandardCharsets.UTF_8).strip());
        long wall = (System.nanoTime() - t0) / 1_000_000;
        int expectedExit = which.equals("save-binlog") ? ExitCodes.NOTHING_NEWER : ExitCodes.OK;
        boolean right = p.exitValue() == expectedExit && (which.equals("save-binlog")
                ? answer.path("status").asText().equals("nothing-newer")
                : answer.path("reachable").asBoolean(false));
        if (!right) {
            throw new IllegalStateException(which + " answered " + answer + " (exit " + p.exitValue() + "): " + Files.readString(stderr));
        }
        return new Sample(wall, timed ? cpuMillis(cpu) : -1);
    }

    /** The floor: {@code java -version} with the launchers' flags, no jar, no class of ours. */
    private Sample jvmAlone(String javaCommand, Path work) throws Exception {
        Path cpu = work.resolve("cpu.txt");
        List<String> argv = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            argv.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpu.toString()));
        }
        argv.addAll(List.of(javaCommand, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-version"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("java -version did not end within 60 s");
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        return new Sample(wall, timed ? cpuMillis(cpu) : -1);
    }

    private static long cpuMillis(Path timeOutput) throws IOException {
        String[] f = Files.readString(timeOutput).strip().split("\\s+");
        return Math.round((Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1])) * 1000);
    }

    private static final class Samples {
        final List<Long> wall = new ArrayList<>();
        final List<Long> cpu = new ArrayList<>();

        void add(Sample s) {
            wall.add(s.wallMs());
            if (s.cpuMs() >= 0) {
                cpu.add(s.cpuMs());
            }
        }

        long median(List<Long> values) {
            long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        long min() {
            return wall.stream().mapToLong(Long::longValue).min().orElse(0);
        }

        long max() {
            return wall.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static String masterFile(ServerNode master) throws Exception {
        try (var c = master.connect(); var s = c.createStatement(); var rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new IllegalStateException("the sandbox master has no binlog");
            }
            return rs.getString(1);
        }
    }

    private void machine(JsonObject json, String javaCommand, List<String> chosen) throws Exception {
        Process v = new ProcessBuilder(javaCommand, "-version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().replace('\n', ';');
        v.waitFor(30, TimeUnit.SECONDS);
        report("machine: %d cores, load average %s, %s %s", Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("os.name"), System.getProperty("os.version"));
        report("java: %s (%s)", javaCommand, version);
        report("runs: %d per variant and command, interleaved; variants: %s", runs, chosen);
        json.object("machine").put("cores", Runtime.getRuntime().availableProcessors()).put("loadAverageBefore", loadAverage())
                .put("java", version);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", Arrays.asList(f).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void report(String format, Object... args) {
        err.println(String.format(Locale.ROOT, format, args));
        err.flush();
    }
}
