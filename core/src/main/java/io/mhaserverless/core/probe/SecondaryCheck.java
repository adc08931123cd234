package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * MHA's {@code secondary_check_script} (masterha_secondary_check): the node agent on each replica's
 * host tries the master over that host's own network path. Any host that reaches it vetoes; if no
 * host can run the check, nothing is confirmed: a failover needs evidence, not the absence of it.
 */
final class SecondaryCheck {

    /** @param reachedBy hosts whose agent reached the master; {@code lostBy} hosts whose agent could not */
    record Verdict(List<String> reachedBy, List<String> lostBy, List<String> couldNotCheck) {
        boolean confirmsDeath() {
            return reachedBy.isEmpty() && !lostBy.isEmpty();
        }

        String summary() {
            return "reached from: " + names(reachedBy) + "; not from: " + names(lostBy) + "; no agent: " + names(couldNotCheck);
        }

        private static String names(List<String> names) {
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }

    private final NodeAgent agent;

    SecondaryCheck(NodeAgent agent) {
        this.agent = agent;
    }

    /** Every host at once: each check starts a process on its host, and the failover waits for the slowest. */
    Verdict check(ServerConfig master, List<ServerConfig> replicas) {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "probe-secondary-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Optional<Boolean>>> checks = replicas.stream()
                    .map(via -> CompletableFuture.supplyAsync(() -> reaches(via, master), pool)).toList();
            List<String> reached = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            List<String> unchecked = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                Optional<Boolean> answer = checks.get(i).join();
                (answer.isEmpty() ? unchecked : answer.get() ? reached : lost).add(replicas.get(i).label());
            }
            return new Verdict(reached, lost, unchecked);
        } finally {
            pool.shutdownNow();
        }
    }

    private Optional<Boolean> reaches(ServerConfig via, ServerConfig master) {
        try {
            return Optional.of(agent.masterReachableFrom(via, master));
        } catch (NodeAgent.Unreachable | NodeAgent.Failed e) {
            return Optional.empty();
        }
    }
}
