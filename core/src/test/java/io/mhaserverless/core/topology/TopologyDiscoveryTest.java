package io.mhaserverless.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopologyDiscoveryTest {

    static ClusterConfig config(Sandbox sandbox, String password) {
        return config(sandbox, password, n -> ", binlogDir: " + n.dataDir());
    }

    static ClusterConfig config(Sandbox sandbox, String password, java.util.function.Function<ServerNode, String> extra) {
        String servers = sandbox.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port() + extra.apply(n) + "}")
                .collect(Collectors.joining("\n"));
        return ConfigLoader.parseYaml("cluster: t\nuser: admin\npassword: " + password + "\nconnectTimeout: 1s\nservers:\n"
                + servers + "\n", "test.yaml");
    }

    @Test
    @MariaDbTopology(replicas = 3)
    void findsTheMasterAndReadsEveryServerInParallel(Sandbox sandbox) {
        ClusterConfig config = config(sandbox, "admin");
        Topology topology = new TopologyDiscovery(Connector.forCluster(config)).discover(config);

        assertThat(topology.master().server()).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo("db1"));
        assertThat(topology.servers()).extracting(ServerState::name).containsExactly("db1", "db2", "db3", "db4");
        assertThat(topology.servers()).allSatisfy(s -> assertThat(s.alive()).isTrue());
        assertThat(topology.others()).extracting(ServerState::name).containsExactly("db2", "db3", "db4");
        assertThat(topology.others()).allSatisfy(s ->
                assertThat(topology.sourceOf(s)).hasValueSatisfying(src -> assertThat(src.name()).isEqualTo("db1")));
        assertThat(new ReplicationHealthCheck(30).check(topology).findings()).isEmpty();
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void aMissingBinlogDirIsAWarningAndAWrongOneAnError(Sandbox sandbox) {
        ClusterConfig unset = config(sandbox, "admin", n -> "");
        HealthReport missing = new ReplicationHealthCheck(30).check(new TopologyDiscovery(Connector.forCluster(unset)).discover(unset));
        assertThat(missing.findings()).extracting(Finding::rule, Finding::severity).containsOnly(
                org.assertj.core.groups.Tuple.tuple(HealthRule.BINLOG_DIR, Finding.Severity.WARN));
        assertThat(missing.findings()).hasSize(2);
        assertThat(missing.findings().get(0).message()).contains("set binlogDir: " + sandbox.node("db1").dataDir());

        ClusterConfig wrong = config(sandbox, "admin", n -> n.name().equals("db2") ? ", binlogDir: /var/lib/nowhere" : ", binlogDir: " + n.dataDir());
        HealthReport report = new ReplicationHealthCheck(30).check(new TopologyDiscovery(Connector.forCluster(wrong)).discover(wrong));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(HealthRule.BINLOG_DIR);
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.server()).isEqualTo(sandbox.node("db2").toString());
            assertThat(f.message()).contains("binlogDir is /var/lib/nowhere but the server writes its binlog to " + sandbox.node("db2").dataDir());
        });
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void deadMasterIsStillNamedFromItsReplicas(Sandbox sandbox) {
        ClusterConfig config = config(sandbox, "admin");
        sandbox.master().kill();

        Topology topology = new TopologyDiscovery(Connector.forCluster(config)).discover(config);

        ServerState master = topology.master().server().orElseThrow();
        assertThat(master.name()).isEqualTo("db1");
        assertThat(master.alive()).isFalse();
        assertThat(master.deadReason()).hasValueSatisfying(r -> assertThat(r).contains("cannot connect"));
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void hungServerIsDeadAfterTheConnectTimeoutNotForever(Sandbox sandbox) {
        ClusterConfig config = config(sandbox, "admin");
        ServerNode db3 = sandbox.node("db3");
        db3.pause();
        try {
            Topology topology = new TopologyDiscovery(Connector.forCluster(config)).discover(config);
            assertThat(topology.server("db3").orElseThrow().alive()).isFalse();
            assertThat(topology.master().server().orElseThrow().name()).isEqualTo("db1");
        } finally {
            db3.resume();
        }
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void wrongPasswordIsARefusalNotADeadServer(Sandbox sandbox) {
        ClusterConfig config = config(sandbox, "wrong");
        assertThatThrownBy(() -> new TopologyDiscovery(Connector.forCluster(config)).discover(config))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("access denied for user 'admin'");
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void discoveryChangesNothing(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)");
        sandbox.sync(Duration.ofSeconds(30));
        String before = state(sandbox);
        ClusterConfig config = config(sandbox, "admin");
        new TopologyDiscovery(Connector.forCluster(config)).discover(config);
        assertThat(state(sandbox)).isEqualTo(before);
    }

    private static String state(Sandbox sandbox) {
        return sandbox.nodes().stream().map(n -> n.queryString(
                "SELECT CONCAT_WS('/', @@gtid_binlog_state, @@gtid_slave_pos, @@read_only)").orElse("")
                + n.replicaStatus("Slave_IO_Running").orElse("-") + n.replicaStatus("Exec_Master_Log_Pos").orElse("-"))
                .collect(Collectors.joining(";"));
    }
}
