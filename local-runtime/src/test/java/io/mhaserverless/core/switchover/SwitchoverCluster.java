package io.mhaserverless.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverContext;
import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.local.SwitchoverRun;
import io.mhaserverless.local.adapter.LocalWriterEndpoint;
import io.mhaserverless.testbed.Checksums;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import java.sql.Connection;
import io.mhaserverless.testbed.SandboxConnections;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A sandbox as a configured cluster with a writer endpoint on its master, switched over through the
 * one path, and what the tests assert about it.
 */
final class SwitchoverCluster implements AutoCloseable {

    static final String APP_USER = "app";
    static final String APP_PASSWORD = "app";

    final Sandbox sandbox;
    final ClusterConfig config;
    final LocalWriterEndpoint endpoint;

    SwitchoverCluster(Sandbox sandbox, Map<String, String> perServer) {
        this.sandbox = sandbox;
        String servers = sandbox.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port()
                        + (perServer.containsKey(n.name()) ? ", " + perServer.get(n.name()) : "") + "}")
                .collect(Collectors.joining("\n"));
        this.config = ConfigLoader.parseYaml("cluster: test\nuser: admin\npassword: admin\nreplicationUser: repl\n"
                + "replicationPassword: repl\nconnectTimeout: 1s\nservers:\n" + servers + "\n", "test.yaml");
        this.endpoint = new LocalWriterEndpoint(0);
        endpoint.assign(config.requireServer(sandbox.master().name()));
    }

    SwitchoverCluster(Sandbox sandbox) {
        this(sandbox, Map.of());
    }

    SwitchoverRun.Result switchover(SwitchoverRun.Request request) {
        return switchover(request, endpoint);
    }

    SwitchoverRun.Result switchover(SwitchoverRun.Request request, WriterIp writerIp) {
        return SwitchoverRun.run(config, sandbox.directory().resolve("state"), writerIp, request);
    }

    FailoverContext context(WriterIp writerIp, Duration waitTimeout) {
        return FailoverContext.builder(() -> config).writerIp(writerIp).waitTimeout(waitTimeout)
                .progress((phase, message) -> System.out.println("[" + phase + "] " + message)).build();
    }

    /** Some rows, replicated everywhere. */
    void load() {
        sandbox.master().execute("CREATE DATABASE IF NOT EXISTS app", "CREATE TABLE IF NOT EXISTS app.t (id INT PRIMARY KEY)",
                "INSERT INTO app.t VALUES (1), (2), (3)");
        sandbox.sync(Duration.ofSeconds(30));
    }

    /**
     * Everything a switchover could change on the servers, as one comparable value: each server's
     * executed GTIDs, replication position, read_only, source and threads.
     */
    Map<String, String> fingerprint() {
        Map<String, String> result = new TreeMap<>();
        for (ServerNode n : sandbox.nodes()) {
            if (n.state() != ServerNode.State.RUNNING) {
                result.put(n.name(), "down");
                continue;
            }
            result.put(n.name(), String.join("|",
                    n.queryString("SELECT CONCAT_WS(',', @@gtid_binlog_state, @@gtid_slave_pos, @@read_only)").orElse(""),
                    n.replicaStatus("Master_Port").orElse("-"),
                    n.replicaStatus("Slave_IO_Running").orElse("-"),
                    n.replicaStatus("Slave_SQL_Running").orElse("-"),
                    n.replicaStatus("Using_Gtid").orElse("-")));
        }
        result.put("writer endpoint", endpoint.describe());
        return result;
    }

    /** The servers ordinary clients can write to. */
    List<String> writable() {
        return sandbox.nodes().stream().filter(n -> n.state() == ServerNode.State.RUNNING)
                .filter(n -> n.queryString("SELECT @@read_only").orElse("1").equals("0")).map(ServerNode::name).toList();
    }

    /** The server the writer endpoint leads to, asked through it. */
    String behindEndpoint() throws Exception {
        try (Connection c = SandboxConnections.open("127.0.0.1", endpoint.port(), Duration.ofSeconds(2), Duration.ofSeconds(10));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            long id = rs.getLong(1);
            return sandbox.nodes().stream().filter(n -> n.serverId() == id).findFirst().orElseThrow().name();
        }
    }

    /**
     * The new master alone takes writes and has the writer endpoint, every other running server
     * follows it with both threads running (the old master too when it was asked to), and every
     * server has the same data.
     */
    void assertSwitched(SwitchoverRun.Result result, String newMaster, boolean oldMasterFollows) throws Exception {
        assertThat(result.outcome()).as(result.report().text()).isEqualTo(FailoverOutcome.SUCCEEDED);
        assertThat(result.state().newMaster()).isEqualTo(newMaster);
        assertThat(writable()).as("exactly one writable server").containsExactly(newMaster);
        assertThat(behindEndpoint()).as("the writer endpoint").isEqualTo(newMaster);
        ServerNode nm = sandbox.node(newMaster);
        assertThat(nm.replicaStatus("Master_Host")).as("the new master is nobody's replica").isEmpty();
        String old = result.state().origMaster();
        for (ServerNode n : sandbox.nodes()) {
            if (n == nm || n.state() != ServerNode.State.RUNNING || (n.name().equals(old) && !oldMasterFollows)) {
                continue;
            }
            assertThat(n.replicaStatus("Master_Port")).as(n + " follows the new master").contains(Integer.toString(nm.port()));
            assertThat(n.replicaStatus("Slave_IO_Running")).as(n + " IO").contains("Yes");
            assertThat(n.replicaStatus("Slave_SQL_Running")).as(n + " SQL").contains("Yes");
        }
        if (!oldMasterFollows) {
            assertThat(sandbox.node(old).replicaStatus("Master_Host")).as("the old master replicates from nobody").isEmpty();
        }
        nm.execute("CREATE DATABASE IF NOT EXISTS after_switch", "CREATE TABLE IF NOT EXISTS after_switch.t (id INT PRIMARY KEY)",
                "INSERT INTO after_switch.t VALUES (" + System.nanoTime() % 1_000_000 + ")");
        List<ServerNode> followers = sandbox.nodes().stream().filter(n -> n != nm && n.state() == ServerNode.State.RUNNING)
                .filter(n -> oldMasterFollows || !n.name().equals(old)).toList();
        sandbox.sync(nm, followers, Duration.ofSeconds(30));
        Map<String, Map<String, Long>> sums = new TreeMap<>(sandbox.checksums().byServer());
        if (!oldMasterFollows) {
            sums.remove(old); // it keeps what it had when writes stopped, and nothing after
        }
        Checksums compared = new Checksums(sums);
        assertThat(compared.consistent()).as(compared.differences()).isTrue();
        assertThat(sums).containsKeys(followers.stream().map(ServerNode::name).toArray(String[]::new));
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
