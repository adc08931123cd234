package io.mhaserverless.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.demo.MhaDemo;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchUsageTest {

    @Test
    void benchChecksItsNumbers() throws Exception {
        assertUsageError(new String[] {"bench", "relay-position", "--runs", "0"}, "--runs");
        assertUsageError(new String[] {"bench"}, "relay-position");
    }

    @Test
    void agentStartChecksItsInputBeforeStartingAnything() throws Exception {
        assertUsageError(new String[] {"bench", "agent-start", "--runs", "0"}, "--runs");
        assertUsageError(new String[] {"bench", "agent-start", "--variants", "quick,turbo"}, "--variants");
        assertUsageError(new String[] {"bench", "agent-start", "--agent-jar", "/nonexistent/mha-node-agent.jar"}, "/nonexistent/mha-node-agent.jar");
    }

    @Test
    void theAotVariantNeedsAJdk25(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String jar = java.nio.file.Files.writeString(dir.resolve("mha-node-agent.jar"), "").toString();
        assertUsageError(new String[] {"bench", "agent-start", "--agent-jar", jar, "--no-cds", "--java", "/nonexistent/bin/java"},
                "/nonexistent/bin/java");
        String java17 = System.getProperty("java.home") + "/bin/java";
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 25, "this JVM is a JDK 25+");
        assertUsageError(new String[] {"bench", "agent-start", "--agent-jar", jar, "--no-cds", "--java", java17, "--variants", "quick-aot-noperf"},
                "need a JDK 25");
    }

    @Test
    void chaosChecksItsInput() throws Exception {
        assertUsageError(new String[] {"bench", "chaos", "--mode", "both"}, "--mode");
        assertUsageError(new String[] {"bench", "chaos", "--runs", "0"}, "--runs");
    }

    @Test
    void aChaosRunIsDrawnFromTheSeedAloneAndMixedRunsMixTheModes() {
        assertThat(ChaosBench.plan(7, 3, "mixed", 0.35)).isEqualTo(ChaosBench.plan(7, 3, "mixed", 0.35));
        assertThat(ChaosBench.plan(7, 3, "mixed", 0.35)).isNotEqualTo(ChaosBench.plan(8, 3, "mixed", 0.35));
        long gtid = java.util.stream.IntStream.rangeClosed(1, 40)
                .filter(run -> ChaosBench.plan(2026, run, "mixed", 0.35).mode() == io.mhaserverless.testbed.ReplicationMode.GTID).count();
        assertThat(gtid).isBetween(8L, 32L);
        ChaosBench.Plan p = ChaosBench.plan(1, 1, "file", 1.0);
        assertThat(p.mode()).isEqualTo(io.mhaserverless.testbed.ReplicationMode.FILE);
        assertThat(p.controllerKillMillis()).isBetween(200L, 3000L);
        assertThat(p.faults()).isNotEmpty().allMatch(f -> f.atMillis() < p.masterKillMillis());
    }

    @Test
    void relayPositionKeepsItsOptions() {
        StringWriter out = new StringWriter();
        CommandLine cmd = MhaDemo.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("bench", "relay-position", "--help")).isZero();
        assertThat(out.toString()).contains("--sizes-mb", "--runs", "--relay-log-index", "--apply-mb", "--row-bytes");
    }

    @Test
    void failoverWithAwsLatenciesRefusesABadProfileNamingTheLineAndKeyBeforeStartingAnything(@org.junit.jupiter.api.io.TempDir
                                                                                              java.nio.file.Path dir) throws Exception {
        java.nio.file.Path bad = dir.resolve("bad.properties");
        java.nio.file.Files.writeString(bad, "# a profile\nlambda.invoke = 99 250\nssm.delivry = 500\n");
        assertUsageError(new String[] {"bench", "failover", "--aws-latencies", bad.toString()}, "line 3: unknown key 'ssm.delivry'");
        assertUsageError(new String[] {"bench", "failover", "--aws-latencies", dir.resolve("absent").toString()}, "cannot be read");

        StringWriter out = new StringWriter();
        CommandLine cmd = MhaDemo.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("bench", "failover", "--help")).isZero();
        assertThat(out.toString()).contains("--aws-latencies=FILE", "model AWS");
    }

    private static void assertUsageError(String[] args, String named) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = MhaDemo.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cmd.execute(args)).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(out.toString().strip());
        assertThat(json.path("status").asText()).isEqualTo("error");
        assertThat(json.path("error").asText()).contains(named).doesNotContain("\n");
    }
}
