package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.topology.ServerState;
import io.mhaserverless.core.topology.Topology;
import java.sql.SQLException;
import java.util.List;

/**
 * Phase 2 (MHA's force_shutdown): make sure the old master cannot take writes or feed replicas any
 * more — take the writer IP away, power it off where configured, and stop every replica's IO thread
 * so that what each has received is frozen for the comparison that follows.
 */
public final class FenceDeadMaster implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.FENCE_DEAD_MASTER;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ClusterConfig config = context.config();
        ServerConfig dead = config.requireServer(state.deadMaster());
        // mysqld_safe or systemd may have restarted it since CheckConfiguration: a master that answers
        // now must not be fenced into a split brain; stop before changing anything.
        try (ServerSession back = io.mhaserverless.core.mysql.Connector.forCluster(config).open(dead)) {
            throw new FailoverException(dead.label() + " answers again: refusing to fail over a master that is alive");
        } catch (io.mhaserverless.core.mysql.ServerUnreachableException stillDead) {
            // as expected
        } catch (io.mhaserverless.core.mysql.ServerRefusedException alive) {
            throw new FailoverException(dead.label() + " answers again (" + alive.getMessage() + "): refusing to fail over");
        }
        context.writerIp().release(dead);
        context.progress().info(name().stateName(), "writer address (" + context.writerIp().describe() + ") released from " + dead.label());
        String stonith = context.stonith().powerOff(dead);
        context.progress().info(name().stateName(), "power-off of " + dead.label() + ": " + stonith);

        Topology topology = context.discover(config);
        ServerState master = topology.server(dead.name()).orElseThrow();
        // a replica left out for its errant transactions is not touched at all
        List<ServerState> replicas = topology.liveReplicasOf(master).stream().filter(r -> !state.isLeftOut(r.name())).toList();
        Parallel.forEach(replicas, r -> {
            try (ServerSession s = context.open(config, r.config())) {
                // MHA's check_settings: a SQL thread stopped without an error (a backup tool, an operator)
                // runs again, or its relay log would count as applied while it is not.
                var status = s.replicaStatus();
                if (status.isPresent() && !status.get().sqlThreadRunning() && status.get().lastSqlErrno() == 0) {
                    s.execute(s.flavor().startSqlThread());
                    context.progress().info(name().stateName(), r.label() + ": started its stopped SQL thread");
                }
                s.execute(s.flavor().stopIoThread());
            } catch (SQLException e) {
                throw new FailoverException("cannot stop the IO thread of " + r.label() + ": " + e.getMessage(), e);
            }
        });
        context.progress().info(name().stateName(), "stopped the IO thread on " + replicas.size() + " replicas");
        return state;
    }
}
