package io.mhaserverless.local.crash;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.WriterIp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ports of one controller, each act counted and named ({@code store.saveProgress(FenceDeadMaster)},
 * {@code agent.applyDiff}, {@code progress[RecoverNewMaster]} …). With a kill point, the act that is
 * its {@code occurrence}-th of that name throws {@link ControllerKill} instead of happening, and
 * every later call of any port — reads included — is refused alike: the controller is dead.
 */
public final class GuardedPorts {

    /** Where the controller dies: at the {@code occurrence}-th act named {@code act} (1-based). */
    public record KillPoint(String act, int occurrence) {
        @Override
        public String toString() {
            return act + (occurrence > 1 ? " #" + occurrence : "");
        }
    }

    private final KillPoint killAt;
    private final List<String> acts = new ArrayList<>();
    private volatile boolean dead;
    private volatile String lastSaved = "nothing";

    /** @param killAt null: count and name the acts only */
    public GuardedPorts(KillPoint killAt) {
        this.killAt = killAt;
    }

    private volatile java.util.function.Predicate<String> killDuring;
    private volatile Duration killAfter = Duration.ZERO;

    /**
     * Kills the controller while the first act that {@code act} accepts is under way: the act
     * starts, and {@code after} later the node agent's processes (and their mysqlbinlog | mysql
     * children) are SIGKILLed with the controller, as a kill of its process group would.
     */
    public void killDuring(java.util.function.Predicate<String> act, Duration after) {
        this.killDuring = act;
        this.killAfter = after;
    }

    /** Every act so far, in order, each with its phase: {@code name} as a KillPoint's act names it. */
    public synchronized List<String> acts() {
        return List.copyOf(acts);
    }

    /** Whether this controller is to die (a kill point or a kill during an act is set). */
    public boolean killing() {
        return killAt != null || killDuring != null;
    }

    public boolean killed() {
        return dead;
    }

    private synchronized void act(String name) {
        refuseIfDead();
        acts.add(name);
        if (killAt != null && name.equals(killAt.act()) && acts.stream().filter(name::equals).count() == killAt.occurrence()) {
            dead = true;
            throw new ControllerKill("controller killed at " + killAt);
        }
    }

    private void refuseIfDead() {
        if (dead) {
            throw new ControllerKill("the controller is dead (killed at " + killAt + ")");
        }
    }

    private <T> T read(Supplier<T> call) {
        refuseIfDead();
        return call.get();
    }

    public Progress progress(Progress delegate) {
        return (p, message) -> {
            act("progress[" + p + "]");
            delegate.info(p, message);
        };
    }

    public Notifier notifier(Notifier delegate) {
        return (subject, text, json) -> {
            act("notifier.publish");
            delegate.publish(subject, text, json);
        };
    }

    public WriterIp writerIp(WriterIp delegate) {
        return new WriterIp() {
            @Override
            public void release(ServerConfig oldMaster) {
                act("writer.release");
                delegate.release(oldMaster);
            }

            @Override
            public void assign(ServerConfig newMaster) {
                act("writer.assign");
                delegate.assign(newMaster);
            }

            @Override
            public void clearOldHost(ServerConfig oldMaster) {
                act("writer.clearOldHost");
                delegate.clearOldHost(oldMaster);
            }

            @Override
            public String describe() {
                return delegate.describe();
            }
        };
    }

    public NodeAgent nodeAgent(NodeAgent delegate) {
        return new NodeAgent() {
            @Override
            public boolean reachable(ServerConfig host) {
                return read(() -> delegate.reachable(host));
            }

            @Override
            public SavedBinlog saveBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
                act("agent.saveBinlog");
                return delegate.saveBinlog(host, binlogDir, binlogPrefix, from);
            }

            @Override
            public SavedAndApplied saveAndApply(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from,
                                                ServerConfig target, Optional<String> targetHas) {
                String name = "agent.saveAndApply(->" + target.name() + ")";
                act(name);
                return duringKill(name, () -> delegate.saveAndApply(host, binlogDir, binlogPrefix, from, target, targetHas));
            }

            @Override
            public void checkBinlog(ServerConfig host, String binlogDir, String binlogPrefix, BinlogCoordinates from) {
                read(() -> {
                    delegate.checkBinlog(host, binlogDir, binlogPrefix, from);
                    return null;
                });
            }

            @Override
            public Applied applyDiff(ServerConfig host, Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                                     Optional<String> targetHas) {
                String name = "agent.applyDiff(" + (relayDiff.isPresent() ? "relay" : "") + (savedBinlog.isPresent() ? "+saved" : "")
                        + "->" + target.name() + ")";
                act(name);
                return duringKill(name, () -> delegate.applyDiff(host, relayDiff, savedBinlog, target, targetHas));
            }

            /** The act, or (once, when killDuring names it) the controller's death while the act's agent runs. */
            private <T> T duringKill(String name, java.util.function.Supplier<T> act) {
                if (killDuring == null || !killDuring.test(name)) {
                    return act.get();
                }
                killDuring = a -> false; // once
                java.util.concurrent.CompletableFuture<T> apply = java.util.concurrent.CompletableFuture.supplyAsync(act);
                try {
                    // save-binlog --apply-to saves first: the kill is timed from the start of its apply
                    // (mysqlbinlog | client under the agent), not from the agent's start, whatever the load.
                    long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (name.startsWith("agent.saveAndApply") && !apply.isDone() && !applying() && System.nanoTime() < giveUp) {
                        Thread.sleep(10);
                    }
                    Thread.sleep(killAfter.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                boolean wasRunning = !apply.isDone();
                killAgents();
                dead = true;
                throw new ControllerKill("controller killed " + killAfter.toMillis() + " ms into " + name
                        + (wasRunning ? ", while it ran" : ", after it had finished"));
            }

            @Override
            public boolean relayLogsHold(ServerConfig host, String relayLogIndex, BinlogCoordinates position) {
                return read(() -> delegate.relayLogsHold(host, relayLogIndex, position));
            }

            @Override
            public boolean masterReachableFrom(ServerConfig via, ServerConfig master) {
                return read(() -> delegate.masterReachableFrom(via, master));
            }
        };
    }

    private final List<Long> killedAgents = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The pids of the node agents killed with the controller. */
    public List<Long> killedAgents() {
        return List.copyOf(killedAgents);
    }

    /** Whether a node agent this JVM started runs mysqlbinlog (or mariadb-binlog): its apply is under way. */
    private static boolean applying() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("io.mhaserverless.node.NodeAgent"))
                .flatMap(ProcessHandle::descendants)
                .anyMatch(d -> d.info().command().orElse("").matches(".*(mysqlbinlog|mariadb-binlog)$"));
    }

    /** SIGKILL of every node agent this JVM started, children first. */
    private void killAgents() {
        ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("io.mhaserverless.node.NodeAgent"))
                .forEach(agent -> {
                    agent.descendants().forEach(ProcessHandle::destroyForcibly);
                    agent.destroyForcibly();
                    killedAgents.add(agent.pid());
                });
    }

    public StateStore stateStore(StateStore delegate) {
        return new StateStore() {
            @Override
            public boolean lock(String cluster, String owner, Duration ttl) {
                act("store.lock(after " + lastSaved + ")");
                return delegate.lock(cluster, owner, ttl);
            }

            @Override
            public void unlock(String cluster, String owner) {
                act("store.unlock");
                delegate.unlock(cluster, owner);
            }

            @Override
            public Optional<LastFailover> lastFailover(String cluster) {
                return read(() -> delegate.lastFailover(cluster));
            }

            @Override
            public void record(FailoverRecord record) {
                act("store.record");
                delegate.record(record);
            }

            @Override
            public void recordSwitchover(FailoverRecord record) {
                act("store.recordSwitchover");
                delegate.recordSwitchover(record);
            }

            @Override
            public void acknowledge(String cluster, String operator) {
                act("store.acknowledge");
                delegate.acknowledge(cluster, operator);
            }

            @Override
            public List<FailoverRecord> history(String cluster, int limit) {
                return read(() -> delegate.history(cluster, limit));
            }

            @Override
            public void saveProgress(Progress progress) {
                act("store.saveProgress(" + progress.completedState() + ")");
                delegate.saveProgress(progress);
                lastSaved = progress.completedState();
            }

            @Override
            public Optional<Progress> progress(String cluster) {
                return read(() -> delegate.progress(cluster));
            }

            @Override
            public void clearProgress(String cluster, String executionId) {
                act("store.clearProgress");
                delegate.clearProgress(cluster, executionId);
            }

            @Override
            public Optional<String> lockOwner(String cluster) {
                return read(() -> delegate.lockOwner(cluster));
            }

            @Override
            public boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen) {
                return read(() -> delegate.holdProbeLease(cluster, owner, ttl, seen));
            }

            @Override
            public void releaseProbeLease(String cluster, String owner) {
                read(() -> {
                    delegate.releaseProbeLease(cluster, owner);
                    return null;
                });
            }

            @Override
            public Optional<ProbeStatus> probeStatus(String cluster) {
                return read(() -> delegate.probeStatus(cluster));
            }
        };
    }
}
