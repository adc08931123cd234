package io.mhaserverless.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM killed with SIGKILL runs no shutdown hook: the next JVM that uses the sandbox reaps its servers. */
class ProcessRegistryTest {

    private static Process java(String mainClass) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    @Test
    void serversOfAKilledJvmAreReapedByTheNextOne() throws Exception {
        Process orphanMaker = java(OrphanMaker.class.getName());
        List<Long> pids;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(orphanMaker.getInputStream()))) {
            String line = out.readLine();
            assertThat(line).as("the child JVM started its sandbox").startsWith("pids ");
            pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
        }
        orphanMaker.destroyForcibly(); // SIGKILL: no shutdown hook runs
        orphanMaker.waitFor(30, TimeUnit.SECONDS);
        assertThat(pids).as("its servers outlive it").allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

        Process reaper = java(Reaper.class.getName());
        assertThat(reaper.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        }
        assertThat(pids).as("reaped by the next JVM").allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
    }

    /** A later JVM: merely using the registry reaps what dead JVMs left. */
    public static final class Reaper {
        public static void main(String[] args) {
            ProcessRegistry.get();
        }
    }
}
