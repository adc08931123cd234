package io.mhaserverless.demo.bench;

import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.local.adapter.FileStateStore;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.MariaDbInstallation;
import io.mhaserverless.testbed.ReplicationMode;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxSpec;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.WriteLoad;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chaos bench (issue 11): a user's bad day, many times over. Each run: a fresh sandbox (1 master
 * + 3 replicas), a write load that records every acknowledged write, random replica faults, a
 * SIGKILL of the master at a random moment, then `mha failover` as a child process — in a share of
 * the runs SIGKILLed with its process group 0.2–3 s after its first progress line (a JVM start takes
 * seconds on a loaded machine) and then run once more, as an operator would.
 * Every choice comes from the seed; what the servers make of the timing does not.
 */
@Command(name = "chaos",
        mixinStandardHelpOptions = true,
        description = {"N randomized runs of: fresh sandbox (1 master + 3 replicas), write load, random replica faults",
                "(IO or SQL thread stopped and resumed, relay log flushed, replica restarted, replica cut off from",
                "the master), SIGKILL of the master, `mha failover` as a child process (in a share of runs SIGKILLed",
                "with its process group 0.2-3 s after its first progress line, then run again). Prints per run: outcome, new master, writable",
                "servers, acknowledged writes lost, checksums, replicas not recovered, failover time; then totals.",
                "Exit 0 when no write was lost, no run had two writable servers and every failover was finished."})
public final class ChaosBench implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "10", description = "number of runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--mode", defaultValue = "mixed", description = "gtid, file or mixed (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--controller-kill-share", defaultValue = "0.35",
            description = "share of runs whose `mha failover` is killed mid-way (default: ${DEFAULT-VALUE})")
    double controllerKillShare;

    @Option(names = "--log-dir", defaultValue = "chaos-logs", paramLabel = "DIR",
            description = "where the controllers' output of runs with a problem is kept (default: ${DEFAULT-VALUE})")
    Path logDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One fault on one replica at a moment after the load started. */
    record Fault(long atMillis, String kind, String replica, long lastsMillis) {
        @Override
        public String toString() {
            return kind + "(" + replica + "@" + atMillis + (lastsMillis > 0 ? "+" + lastsMillis : "") + ")";
        }
    }

    /** Everything a run does, drawn from the seed before it starts. */
    record Plan(int run, ReplicationMode mode, List<Fault> faults, long masterKillMillis, long controllerKillMillis) {
        @Override
        public String toString() {
            return mode.name().toLowerCase(Locale.ROOT) + " faults " + faults + " master-kill@" + masterKillMillis
                    + (controllerKillMillis > 0 ? " controller-kill@+" + controllerKillMillis : "");
        }
    }

    /** What a run ended with. */
    record RunResult(Plan plan, String outcome, String newMaster, List<String> writable, long acknowledged, long lost,
                     boolean checksumsIdentical, int notRecovered, long failoverMillis, boolean controllerKilled, boolean finished,
                     String note) {
    }

    static final String[] KINDS = {"io-stop-resume", "sql-stop-resume", "relay-flush", "replica-restart", "cut-off"};

    static Plan plan(long seed, int run, String mode, double controllerKillShare) {
        // SplittableRandom mixes its seed: java.util.Random's first draws from consecutive seeds are alike
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + run);
        ReplicationMode m = switch (mode) {
            case "gtid" -> ReplicationMode.GTID;
            case "file" -> ReplicationMode.FILE;
            default -> r.nextBoolean() ? ReplicationMode.GTID : ReplicationMode.FILE;
        };
        long masterKill = 800 + r.nextInt(2200);
        int n = 1 + r.nextInt(4);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String kind = KINDS[r.nextInt(KINDS.length)];
            String replica = "db" + (2 + r.nextInt(3));
            long at = 100 + r.nextInt((int) masterKill - 100); // before the master dies
            long lasts = kind.endsWith("-resume") ? 100 + r.nextInt(1500) : 0;
            faults.add(new Fault(at, kind, replica, lasts));
        }
        faults.sort(Comparator.comparingLong(Fault::atMillis));
        double share = r.nextDouble();
        long controllerKill = 200 + r.nextInt(2800);
        return new Plan(run, m, List.copyOf(faults), masterKill, share < controllerKillShare ? controllerKill : -1);
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || !List.of("gtid", "file", "mixed").contains(mode) || controllerKillShare < 0 || controllerKillShare > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs ≥ 1, --mode gtid|file|mixed, --controller-kill-share 0..1 (got --runs " + runs + ", --mode " + mode + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("machine: %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), MariaDbInstallation.locate().version());
        out.printf("inputs: %d runs, seed %d, mode %s, controller killed in a share of %.2f of the runs%n", runs, seed, mode,
                controllerKillShare);
        out.flush();
        Files.createDirectories(logDir);
        List<RunResult> results = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int run = 1; run <= runs; run++) {
            Plan plan = plan(seed, run, mode, controllerKillShare);
            RunResult r;
            long started = System.nanoTime();
            try {
                r = run(plan);
            } catch (Exception | Error e) {
                r = new RunResult(plan, "bench-error", null, List.of(), 0, 0, false, 0, 0, false, false, String.valueOf(e));
            }
            results.add(r);
            out.printf("run %3d %-4s %-9s new master %-4s writable %-10s acked %6d lost %d checksums %s not-recovered %d"
                            + " failover %6d ms%s%s | %s | run %d s%n",
                    run, plan.mode() == ReplicationMode.GTID ? "gtid" : "file", r.outcome(), r.newMaster(), r.writable(), r.acknowledged(),
                    r.lost(), r.checksumsIdentical() ? "same" : "DIFFER", r.notRecovered(), r.failoverMillis(),
                    r.controllerKilled() ? " (controller killed, resumed)" : "", r.note().isEmpty() ? "" : " NOTE: " + r.note(), plan,
                    (System.nanoTime() - started) / 1_000_000_000L);
            out.flush();
        }
        Totals t = Totals.of(results);
        out.println(t.describe((System.nanoTime() - t0) / 1_000_000_000L));
        out.flush();
        return t.clean() ? 0 : 1;
    }

    /** The totals, and whether they meet the standard. */
    record Totals(int runs, int gtid, int file, int succeeded, int controllerKills, long acknowledged, long lost, int runsWithLoss,
                  int splitBrain, int noWritable, int unfinished, int checksumMismatches, int notRecovered, int benchErrors,
                  List<Long> failoverMillis) {

        static Totals of(List<RunResult> rs) {
            return new Totals(rs.size(),
                    (int) rs.stream().filter(r -> r.plan().mode() == ReplicationMode.GTID).count(),
                    (int) rs.stream().filter(r -> r.plan().mode() == ReplicationMode.FILE).count(),
                    (int) rs.stream().filter(r -> r.outcome().equals("succeeded")).count(),
                    (int) rs.stream().filter(RunResult::controllerKilled).count(),
                    rs.stream().mapToLong(RunResult::acknowledged).sum(),
                    rs.stream().mapToLong(RunResult::lost).sum(),
                    (int) rs.stream().filter(r -> r.lost() > 0).count(),
                    (int) rs.stream().filter(r -> r.writable().size() > 1).count(),
                    (int) rs.stream().filter(r -> r.writable().isEmpty() && !r.outcome().equals("bench-error")).count(),
                    (int) rs.stream().filter(r -> !r.finished() && !r.outcome().equals("bench-error")).count(),
                    (int) rs.stream().filter(r -> !r.checksumsIdentical() && !r.outcome().equals("bench-error")).count(),
                    rs.stream().mapToInt(RunResult::notRecovered).sum(),
                    (int) rs.stream().filter(r -> r.outcome().equals("bench-error")).count(),
                    rs.stream().filter(RunResult::finished).map(RunResult::failoverMillis).sorted().toList());
        }

        boolean clean() {
            return lost == 0 && splitBrain == 0 && unfinished == 0 && benchErrors == 0;
        }

        String describe(long seconds) {
            String times = failoverMillis.isEmpty() ? "none" : "median " + failoverMillis.get(failoverMillis.size() / 2) + " ms, max "
                    + failoverMillis.get(failoverMillis.size() - 1) + " ms";
            return String.format("TOTALS: %d runs (%d gtid, %d file) in %d s; %d succeeded at once or after a resume; %d controllers"
                            + " killed mid-failover and resumed; %d acknowledged writes, %d lost (in %d runs); %d runs with more than one"
                            + " writable server; %d with none; %d failovers not finished; %d runs with differing checksums; %d replicas"
                            + " not recovered; %d bench errors; failover time %s",
                    runs, gtid, file, seconds, succeeded, controllerKills, acknowledged, lost, runsWithLoss, splitBrain, noWritable,
                    unfinished, checksumMismatches, notRecovered, benchErrors, times);
        }
    }

    private RunResult run(Plan plan) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(3, plan.mode()))) {
            Path config = SandboxConfig.write(sandbox.directory().resolve("chaos.yaml"), "chaos", sandbox);
            Path stateDir = sandbox.directory().resolve("state");
            ServerNode master = sandbox.master();
            WriteLoad.createTable(master.host(), master.port());
            sandbox.sync(Duration.ofSeconds(30));
            List<String> notes = new ArrayList<>();
            long acknowledged;
            WriteLoad load = new WriteLoad(master.host(), master.port(), false);
            try {
                long start = System.nanoTime();
                for (Fault f : plan.faults()) {
                    sleepUntil(start, f.atMillis());
                    try {
                        inject(sandbox.node(f.replica()), f, notes);
                    } catch (RuntimeException e) {
                        notes.add(f + " failed: " + e.getMessage());
                    }
                }
                sleepUntil(start, plan.masterKillMillis());
                master.kill();
            } finally {
                load.close();
            }
            acknowledged = load.acknowledged().size();

            Path logs = logDir.resolve("run-" + plan.run());
            Files.createDirectories(logs);
            long failoverStart = System.nanoTime();
            boolean controllerKilled = false;
            Process first = controller(config, stateDir, logs.resolve("failover-1.log"));
            int exit;
            if (plan.controllerKillMillis() > 0 && startedFailingOver(first, logs.resolve("failover-1.log"))
                    && !first.waitFor(plan.controllerKillMillis(), TimeUnit.MILLISECONDS)) {
                killProcessGroup(first.pid());
                first.waitFor(30, TimeUnit.SECONDS);
                controllerKilled = true;
                notes.add("controller killed in " + lastPhase(logs.resolve("failover-1.log")));
                Process again = controller(config, stateDir, logs.resolve("failover-2.log"));
                exit = await(again);
            } else {
                exit = await(first);
            }
            long failoverMillis = (System.nanoTime() - failoverStart) / 1_000_000;

            List<ServerNode> survivors = sandbox.nodes().stream().filter(n -> n != master && n.state() == ServerNode.State.RUNNING).toList();
            List<String> writable = new ArrayList<>();
            for (ServerNode n : survivors) {
                if ("0".equals(n.queryString("SELECT @@read_only").orElse(""))) {
                    writable.add(n.name());
                }
            }
            FileStateStore store = new FileStateStore(stateDir, Clock.systemUTC());
            String recorded = store.history("chaos", 1).stream().findFirst().map(StateStore.FailoverRecord::newMaster).orElse(null);
            String newMaster = recorded != null ? recorded : writable.size() == 1 ? writable.get(0) : null;
            long lost = 0;
            boolean same = false;
            int notRecovered = 0;
            if (newMaster != null) {
                ServerNode nm = sandbox.node(newMaster);
                lost = load.missingOn(nm.host(), nm.port());
                for (ServerNode r : survivors) {
                    if (r != nm && !follows(r, nm)) {
                        notRecovered++;
                    }
                }
                try {
                    Checksums sums = sandbox.syncAndChecksum(nm, Duration.ofSeconds(60));
                    same = sums.consistent();
                    if (!same) {
                        notes.add("checksums: " + sums.differences());
                    }
                } catch (RuntimeException e) {
                    notes.add("sync: " + e.getMessage());
                }
            }
            if (store.lockOwner("chaos").isPresent()) {
                notes.add("lock still held by " + store.lockOwner("chaos").get());
            }
            if (store.progress("chaos").isPresent()) {
                notes.add("progress left at " + store.progress("chaos").get().completedState());
            }
            String outcome = switch (exit) {
                case 0 -> "succeeded";
                case 10 -> "partial";
                case 11 -> "possible-loss";
                default -> "exit-" + exit;
            };
            boolean finished = exit == 0 || exit == 10 || exit == 11;
            boolean problem = !finished || lost > 0 || writable.size() != 1 || !same || notRecovered > 0
                    || notes.stream().anyMatch(n -> !n.startsWith("controller killed in"));
            if (!problem) {
                deleteTree(logs);
            }
            return new RunResult(plan, outcome, newMaster, writable, acknowledged, lost, same, notRecovered, failoverMillis,
                    controllerKilled, finished, String.join("; ", notes));
        }
    }

    /**
     * Waits for the controller's first progress line: the kill is timed from there, since a JVM's
     * start takes seconds on a loaded machine and a kill before the first state tests nothing.
     */
    private static boolean startedFailingOver(Process controller, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && controller.isAlive()) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.matches("^\\[\\s*[0-9.]+ s\\] .*"))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The phase of the controller's last progress line ("[  1.234 s] Phase  message"), or "startup". */
    private static String lastPhase(Path log) throws IOException {
        String phase = "startup";
        java.util.regex.Pattern progress = java.util.regex.Pattern.compile("^\\[\\s*[0-9.]+ s\\] +(\\S+)");
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = progress.matcher(line);
            if (m.find()) {
                phase = m.group(1);
            }
        }
        return phase;
    }

    private static boolean follows(ServerNode replica, ServerNode master) {
        return replica.replicaStatus("Master_Port").orElse("").equals(Integer.toString(master.port()))
                && replica.replicaStatus("Slave_IO_Running").orElse("").equals("Yes")
                && replica.replicaStatus("Slave_SQL_Running").orElse("").equals("Yes")
                && "1".equals(replica.queryString("SELECT @@read_only").orElse(""));
    }

    /** One fault; a "-resume" one is undone after it lasted, on a thread of its own, unless the master died first. */
    private static void inject(ServerNode replica, Fault f, List<String> notes) {
        switch (f.kind()) {
            case "io-stop-resume" -> {
                replica.stopIoThread();
                later(f.lastsMillis(), () -> replica.startIoThread(), notes, f);
            }
            case "sql-stop-resume" -> {
                replica.execute("STOP SLAVE SQL_THREAD");
                later(f.lastsMillis(), () -> replica.execute("START SLAVE SQL_THREAD"), notes, f);
            }
            case "relay-flush" -> replica.flushRelayLogs();
            case "replica-restart" -> replica.restart();
            case "cut-off" -> replica.stopIoThread(); // receives nothing more from the master, to the end
            default -> throw new IllegalArgumentException(f.kind());
        }
    }

    private static void later(long millis, Runnable undo, List<String> notes, Fault f) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
                undo.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the master may be dead by now, or the replica restarting: the fault simply lasted longer
            }
        }, "chaos-undo-" + f.kind());
        t.setDaemon(true);
        t.start();
    }

    /** `mha failover` of this bench's own class path, in a process group of its own (setsid) so that it can be killed whole. */
    private static Process controller(Path config, Path stateDir, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of("setsid", java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "io.mhaserverless.cli.Mha", "failover", "--config", config.toString(),
                "--state-dir", stateDir.toString(), "--ignore-last-failover", "--wait-timeout", "60");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int await(Process p) throws InterruptedException, IOException {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            killProcessGroup(p.pid());
            return -1;
        }
        return p.exitValue();
    }

    /** SIGKILL of the controller's process group: the JVM and every node agent it started. */
    private static void killProcessGroup(long pgid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static void sleepUntil(long startNanos, long atMillis) throws InterruptedException {
        long wait = atMillis - (System.nanoTime() - startNanos) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
