package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ServerConfig;

/** Phase 7: the writer address follows the new master (MHA's master_ip_failover_script --command=start). */
public final class MoveWriterIp implements Phase {

    @Override
    public PhaseName name() {
        return PhaseName.MOVE_WRITER_IP;
    }

    @Override
    public FailoverState apply(FailoverState state, FailoverContext context) {
        ServerConfig newMaster = context.config().requireServer(state.newMaster());
        context.writerIp().assign(newMaster);
        context.progress().info(name().stateName(), "writer address (" + context.writerIp().describe() + ") now on " + newMaster.label());
        return state;
    }
}
