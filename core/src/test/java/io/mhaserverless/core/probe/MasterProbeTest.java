package io.mhaserverless.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import io.mhaserverless.testbed.junit.MariaDbTopology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MasterProbeTest {

    private static ClusterConfig config(Sandbox sandbox) {
        String servers = sandbox.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port() + "}")
                .collect(Collectors.joining("\n"));
        return ConfigLoader.parseYaml("cluster: t\nuser: admin\npassword: admin\npingInterval: 300ms\npingFailures: 3\n"
                + "servers:\n" + servers + "\n", "t.yaml");
    }

    private static Optional<MasterProbe.Detection> probe(Sandbox sandbox, Duration maxWait) {
        ClusterConfig config = config(sandbox);
        ServerConfig master = config.server("db1").orElseThrow();
        List<ServerConfig> replicas = config.servers().stream().filter(s -> s != master).toList();
        return new MasterProbe(config, Clock.systemUTC()).awaitDeath(master, replicas, maxWait);
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void aKilledMasterIsDeadAfterTheConfiguredFailuresConfirmedByTheReplicas(Sandbox sandbox) {
        sandbox.master().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)");
        ClusterConfig config = config(sandbox);
        ServerConfig master = config.server("db1").orElseThrow();
        List<ServerConfig> replicas = config.servers().stream().filter(s -> s != master).toList();
        Instant until = Instant.now().plusSeconds(30);
        AtomicBoolean killed = new AtomicBoolean();

        // killed right after its first answer, so the probe has read its binlog position however slow the machine
        Optional<MasterProbe.Detection> detection = new MasterProbe(config, Clock.systemUTC()).awaitDeath(master, replicas, s -> {
            if (s.state().equals("alive") && killed.compareAndSet(false, true)) {
                sandbox.master().kill();
            }
            return Instant.now().isBefore(until);
        });

        assertThat(detection).isPresent();
        assertThat(detection.get().failedPings()).isEqualTo(3);
        assertThat(detection.get().confirmation()).contains("no replica is connected");
        assertThat(detection.get().lastSeenBinlog()).startsWith("mysql-bin.000001:");
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void aHealthyMasterIsNeverDeclaredDead(Sandbox sandbox) {
        assertThat(probe(sandbox, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    @MariaDbTopology(replicas = 2)
    void withNoReplicaToConfirmItNobodyIsDeclaredDead(Sandbox sandbox) {
        sandbox.replicas().forEach(ServerNode::kill);
        sandbox.master().kill();

        assertThat(probe(sandbox, Duration.ofSeconds(3))).as("our own view alone must not fail a master over").isEmpty();
    }

    @Test
    @MariaDbTopology(replicas = 1)
    void aHungMasterIsConfirmedByItsReplicasHearingNothingThoughTheirIoThreadSaysYes(Sandbox sandbox) throws Exception {
        // SIGSTOP: the replica's connection stays open and its IO thread "Yes" until slave_net_timeout
        // (5 s here); what gives the master away sooner is that no event and no heartbeat arrives.
        sandbox.master().execute("CREATE DATABASE app");
        sandbox.sync(Duration.ofSeconds(30));
        assertThat(sandbox.node("db2").replicaStatus("Slave_IO_Running")).contains("Yes");
        sandbox.master().pause();
        long stoppedAt = System.currentTimeMillis();
        try {
            Optional<MasterProbe.Detection> detection = probe(sandbox, Duration.ofSeconds(30));

            assertThat(detection).isPresent();
            assertThat(detection.get().confirmation()).contains("lost it: db2");
            System.out.println("hung master confirmed " + (detection.get().detectedAtMillis() - stoppedAt) + " ms after SIGSTOP");
        } finally {
            sandbox.master().resume();
        }
    }
}
