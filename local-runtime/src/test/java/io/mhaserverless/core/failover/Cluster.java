package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.local.FailoverRun;
import io.mhaserverless.local.FailoverRun.Result;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.WriterIp;
import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.ServerNode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A sandbox seen as a configured cluster: its config, a failover context, and a failover through
 * the one path (asl.json under the local runtime, over the local ports), with what tests assert on.
 */
final class Cluster {

    final Sandbox sandbox;
    final ClusterConfig config;

    Cluster(Sandbox sandbox, String extraTopLevel, Map<String, String> perServer) {
        this.sandbox = sandbox;
        String servers = sandbox.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port()
                        + (perServer.containsKey(n.name()) ? ", " + perServer.get(n.name()) : "") + "}")
                .collect(Collectors.joining("\n"));
        this.config = ConfigLoader.parseYaml("cluster: test\nuser: admin\npassword: admin\nreplicationUser: repl\n"
                + "replicationPassword: repl\nconnectTimeout: 1s\n" + extraTopLevel + "servers:\n" + servers + "\n", "test.yaml");
    }

    Cluster(Sandbox sandbox) {
        this(sandbox, "", Map.of());
    }

    FailoverContext context() {
        return FailoverContext.builder(() -> config)
                .progress((phase, message) -> System.out.println("[" + phase + "] " + message))
                .waitTimeout(Duration.ofSeconds(30))
                .build();
    }

    Result failover(String deadMaster, String newMaster, boolean force) {
        return failover(deadMaster, newMaster, force, WriterIp.NONE, NodeAgent.NONE);
    }

    /** A failover as `mha failover` runs it: lock, guard, phases, Map states, record and report. */
    Result failover(String deadMaster, String newMaster, boolean force, WriterIp writerIp, NodeAgent nodeAgent) {
        return FailoverRun.run(config, sandbox.directory().resolve("state"), writerIp, nodeAgent, deadMaster, newMaster, force);
    }

    /** Everything a phase could change on the servers, as one comparable value. */
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
        return result;
    }
}
