package io.mhaserverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.adapter.LocalNodeAgent;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxConfig;
import io.mhaserverless.testbed.SandboxCredentials;
import io.mhaserverless.testbed.ServerNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A sandbox failed over with the local node agent, and what tests assert about data after it. */
final class LocalCluster {

    final Sandbox sandbox;
    final ClusterConfig config;
    final Path workDir;

    LocalCluster(Sandbox sandbox, Path workDir) {
        this(sandbox, workDir, java.util.Map.of());
    }

    /** @param perServer extra keys of a server's config entry, e.g. {@code db2 -> "candidateMaster: true"} */
    LocalCluster(Sandbox sandbox, Path workDir, java.util.Map<String, String> perServer) {
        this(sandbox, workDir, List.of(), perServer);
    }

    /** @param topLevel extra top-level config lines, e.g. {@code multiTierSlave: true} */
    LocalCluster(Sandbox sandbox, Path workDir, List<String> topLevel, java.util.Map<String, String> perServer) {
        this(sandbox, workDir, SandboxConfig.yaml("test", sandbox, topLevel, n -> perServer.getOrDefault(n, "")));
    }

    private LocalCluster(Sandbox sandbox, Path workDir, String yaml) {
        this.sandbox = sandbox;
        this.workDir = workDir;
        this.config = ConfigLoader.parseYaml(yaml, "test.yaml");
    }

    /** The sandbox's config as an operator might have mistyped it: {@code edit} rewrites its YAML. */
    static LocalCluster edited(Sandbox sandbox, Path workDir, java.util.function.UnaryOperator<String> edit) {
        return new LocalCluster(sandbox, workDir, edit.apply(SandboxConfig.yaml("test", sandbox, List.of(), n -> "")));
    }

    FailoverRun.Result failover() {
        return failover(false);
    }

    FailoverRun.Result failover(boolean force) {
        return FailoverRun.run(config, workDir.resolve("state"), WriterIp.NONE, new LocalNodeAgent(SandboxCredentials.ADMIN_USER,
                SandboxCredentials.ADMIN_PASSWORD, workDir, Duration.ofSeconds(120)), null, null, force);
    }

    /**
     * The dead server's host is gone with its disk: the local node agent finds no directory of that
     * server any more (its binlogDir's parent), so the host does not answer.
     */
    static void takeHostAway(ServerNode dead) throws java.io.IOException {
        Path dir = dead.dataDir().getParent();
        java.nio.file.Files.move(dir, dir.resolveSibling(dir.getFileName() + "-gone"));
    }

    static Set<Long> ids(ServerNode n, String table) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = n.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * What the replicas have once each applied all it received, together: the rows no failover may
     * lose. Waits for every SQL thread to go idle.
     */
    Set<Long> receivedRows(String table) throws Exception {
        Set<Long> all = new HashSet<>();
        for (ServerNode r : sandbox.replicas()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!r.replicaStatus("Slave_SQL_Running_State").orElse("").contains("read all relay log")) {
                assertThat(System.nanoTime()).as(r + " never applied its relay log").isLessThan(deadline);
                Thread.sleep(20);
            }
            all.addAll(ids(r, table));
        }
        return all;
    }

    /** Same data everywhere, one writable master that every survivor follows, with everything in {@code mustHave}. */
    void assertRecovered(FailoverRun.Result result, String table, Set<Long> mustHave) throws Exception {
        assertRecovered(result, FailoverOutcome.SUCCEEDED, table, mustHave);
    }

    /** As {@link #assertRecovered(FailoverRun.Result, String, Set)}, the failover ending as {@code outcome}. */
    void assertRecovered(FailoverRun.Result result, FailoverOutcome outcome, String table, Set<Long> mustHave) throws Exception {
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(outcome);
        ServerNode newMaster = sandbox.node(result.state().newMaster());
        ServerNode dead = sandbox.node(result.state().deadMaster());
        List<ServerNode> survivors = sandbox.nodes().stream().filter(n -> n != dead).toList();
        assertThat(newMaster.queryString("SELECT @@read_only")).contains("0");
        for (ServerNode r : survivors) {
            if (r != newMaster) {
                assertThat(r.replicaStatus("Master_Port")).as(r + " follows the new master").contains(Integer.toString(newMaster.port()));
                assertThat(r.replicaStatus("Slave_SQL_Running")).as(r + " SQL thread").contains("Yes");
                assertThat(r.queryString("SELECT @@read_only")).as(r + " read_only").contains("1");
            }
        }
        newMaster.execute("INSERT INTO " + table + " (id) VALUES (999999999)"); // the new master replicates onward
        Checksums sums = sandbox.syncAndChecksum(newMaster, Duration.ofSeconds(30));
        assertThat(sums.consistent()).as(sums.differences()).isTrue();
        for (ServerNode n : survivors) {
            Set<Long> has = ids(n, table);
            Set<Long> missing = new HashSet<>(mustHave);
            missing.removeAll(has);
            assertThat(missing).as("rows missing on " + n).isEmpty();
        }
    }
}
