package io.mhaserverless.local.adapter;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.AgentAnswers;
import io.mhaserverless.node.protocol.AgentCall;
import io.mhaserverless.node.protocol.CheckMasterAnswer;
import io.mhaserverless.node.protocol.AgentCredentials;
import io.mhaserverless.node.protocol.AgentLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The node agent of the local runtime: the same agent CLI that SSM runs on an EC2 host, run here as
 * a process against the sandbox's datadirs. Every server of the sandbox lives on this machine, so
 * a "host" answers when its address is local and, for a dead master, its binlog directory is still
 * there. Credentials reach the agent in a 0600 file that is deleted afterwards, never on its
 * command line.
 */
public final class LocalNodeAgent implements NodeAgent {

    private final AgentCredentials credentials;
    private final Path workDir;
    private final Duration timeout;
    private final AgentLauncher launcher;

    public LocalNodeAgent(String user, String password, Path workDir, Duration timeout) {
        this.credentials = new AgentCredentials(user, password);
        this.workDir = workDir;
        this.timeout = timeout;
        // The agent's own --timeout-seconds ends an apply first; the launcher's limit is for a hung agent.
        this.launcher = AgentLauncher.fromClassPath(workDir, timeout.plusSeconds(5));
    }

    /**
     * A local host answers when its address is on this machine and the directory that holds its
     * binlog directory is there: this machine stands in for every host, and the sandbox gives each
     * server a directory of its own, which tests remove to take a host away. A binlog directory that
     * is missing while its parent is there is a wrong binlogDir on a host that answers.
     */
    @Override
    public boolean reachable(ServerConfig host) {
        try {
            InetAddress address = InetAddress.getByName(host.host());
            boolean local = address.isLoopbackAddress() || address.isAnyLocalAddress();
            return local && host.binlogDir().map(d -> Path.of(d).toAbsolutePath().getParent())
                    .map(parent -> parent == null || Files.isDirectory(parent)).orElse(true);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        requireReachable(host);
        run(AgentCall.checkBinlog(binlogDir, binlogPrefix, from.toString()));
    }

    @Override
    public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
        requireReachable(host);
        Path out = workDir.resolve(host.name() + "-" + from.file() + "-" + from.position() + ".binlog");
        AgentCall call = AgentCall.saveBinlog(binlogDir, binlogPrefix, from.toString(), out.toString());
        return AgentAnswers.savedBinlog(run(call), call, from);
    }

    @Override
    public SavedAndApplied saveAndApply(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from,
                                        ServerConfig target, Optional<String> targetHas) {
        requireReachable(host);
        Path out = workDir.resolve(host.name() + "-" + from.file() + "-" + from.position() + ".binlog");
        AgentCall call = AgentAnswers.saveAndApplyCall(binlogDir, binlogPrefix, from, out.toString(), target, targetHas, timeout);
        return AgentAnswers.savedAndApplied(run(call), call, from);
    }

    @Override
    public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                             Optional<String> targetHas) {
        requireReachable(host);
        return AgentAnswers.applied(run(AgentAnswers.applyDiffCall(relayDiff, savedBinlog, target, targetHas, timeout)));
    }

    @Override
    public boolean masterReachableFrom(ServerConfig via, ServerConfig master) {
        requireReachable(via);
        return run(AgentCall.checkMaster(master.host(), master.port())).as(CheckMasterAnswer.class).reachable();
    }

    @Override
    public boolean relayLogsHold(ServerConfig host, String relayLogIndex, BinlogCoordinates position) {
        requireReachable(host);
        try {
            run(AgentAnswers.findRelayPositionCall(relayLogIndex, position));
            return true;
        } catch (NotInRelayLogs purged) {
            return false;
        }
    }

    @Override
    public SelfCheck selfCheck(ServerConfig host) {
        requireReachable(host);
        return AgentAnswers.selfCheck(run(AgentCall.selfCheck(host.binlogDir())));
    }

    private void requireReachable(ServerConfig host) {
        if (!reachable(host)) {
            throw new Unreachable("the host of " + host.label() + " does not answer");
        }
    }

    private AgentAnswers.Reply run(AgentCall call) {
        try {
            AgentLauncher.Exit exit = launcher.run(call, Optional.of(credentials));
            if (exit.timedOut()) {
                throw new Failed("node agent " + call.subcommand() + " did not finish within " + timeout.toSeconds() + " s");
            }
            return AgentAnswers.reply(call.subcommand(), exit.code(), exit.stdout(), exit.stderr(), "node agent " + call.subcommand(),
                    "exited " + exit.code());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the node agent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while the node agent ran");
        }
    }
}
