package io.mhaserverless.core.probe;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ReplicaStatus;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.ServerUnreachableException;
import io.mhaserverless.core.mysql.SourceContact;
import io.mhaserverless.core.topology.Addresses;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;

/**
 * The second viewpoint (MHA's secondary check through the replicas): the probe's own failed pings
 * prove only that the probe cannot reach the master. A replica whose IO thread is still connected
 * to it sees it alive, and vetoes. A hung master keeps that connection "Yes" until the replica's
 * {@code slave_net_timeout} passes (60 s by default), so a "Yes" is checked: the replica is read
 * twice, two heartbeat periods apart, and one that heard nothing in between (no event, no
 * heartbeat) has lost the master as surely as one whose IO thread is reconnecting. With
 * {@code MASTER_HEARTBEAT_PERIOD=1} that takes about 2 s; heartbeat periods over
 * {@link #LONGEST_SILENCE_CHECK} are not waited for, and the "Yes" is believed.
 */
final class ReplicaView {

    /**
     * @param connected  replicas whose IO thread is connected to the master: each vetoes
     * @param lostIt     replicas whose IO thread tries to reach the master and cannot (Connecting)
     * @param unanswered replicas with no view: not reachable, IO thread stopped (by an operator, say),
     *                   or replicating from another server; no evidence either way
     */
    record Verdict(List<String> connected, List<String> lostIt, List<String> unanswered) {
        /** Dead only if nobody still reaches it and somebody answered: our own view alone never fails a master over. */
        boolean confirmsDeath() {
            return connected.isEmpty() && !lostIt.isEmpty();
        }

        String summary() {
            return "connected: " + names(connected) + "; lost it: " + names(lostIt) + "; no answer: " + names(unanswered);
        }

        private static String names(List<String> names) {
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }

    /** The longest heartbeat period worth waiting two of: longer ones leave the word to slave_net_timeout. */
    static final java.time.Duration LONGEST_SILENCE_CHECK = java.time.Duration.ofSeconds(5);

    private final Connector connector;

    ReplicaView(Connector connector) {
        this.connector = connector;
    }

    /** What a replica had heard from its source, and when that was read. */
    record Reading(SourceContact contact, long atNanos) {
    }

    /**
     * What each replica has heard so far, read when the pings begin to fail: the verdict then
     * measures the silence from here, and need not wait two heartbeat periods of its own.
     */
    Map<String, Reading> listen(List<ServerConfig> replicas) {
        Map<String, Reading> readings = new ConcurrentHashMap<>();
        ExecutorService pool = pool();
        try {
            CompletableFuture.allOf(replicas.stream().map(r -> CompletableFuture.runAsync(() -> {
                try (ServerSession s = connector.open(r)) {
                    s.sourceContact().ifPresent(c -> readings.put(r.name(), new Reading(c, System.nanoTime())));
                } catch (ServerUnreachableException | ServerRefusedException | SQLException e) {
                    // no reading: the verdict reads this replica twice itself
                }
            }, pool)).toArray(CompletableFuture[]::new)).join();
            return readings;
        } finally {
            pool.shutdownNow();
        }
    }

    Verdict ask(ServerConfig master, OptionalLong masterServerId, List<ServerConfig> replicas) {
        return ask(master, masterServerId, replicas, Map.of());
    }

    /** Asks every replica at once: one slow replica must not delay the verdict by more than its own timeout. */
    Verdict ask(ServerConfig master, OptionalLong masterServerId, List<ServerConfig> replicas, Map<String, Reading> earlier) {
        ExecutorService pool = pool();
        try {
            List<CompletableFuture<Answer>> answers = replicas.stream()
                    .map(r -> CompletableFuture.supplyAsync(() -> ask(r, master, masterServerId, Optional.ofNullable(earlier.get(r.name()))),
                            pool)).toList();
            List<String> connected = new ArrayList<>();
            List<String> lostIt = new ArrayList<>();
            List<String> unanswered = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                String label = replicas.get(i).label();
                switch (answers.get(i).join()) {
                    case CONNECTED -> connected.add(label);
                    case LOST -> lostIt.add(label);
                    case UNANSWERED -> unanswered.add(label);
                }
            }
            return new Verdict(connected, lostIt, unanswered);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ExecutorService pool() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "probe-replica-view");
            t.setDaemon(true);
            return t;
        });
    }

    private enum Answer { CONNECTED, LOST, UNANSWERED }

    /**
     * Whether the replica hears from its source across two heartbeat periods, counted from the
     * earlier reading when there is one; true when it cannot be told.
     */
    private static boolean stillHearing(ServerSession s, Optional<Reading> earlier) throws SQLException {
        Reading first = earlier.isPresent() ? earlier.get() : s.sourceContact().map(c -> new Reading(c, System.nanoTime())).orElse(null);
        if (first == null || first.contact().heartbeatPeriod().isZero()
                || first.contact().heartbeatPeriod().compareTo(LONGEST_SILENCE_CHECK) > 0) {
            return true;
        }
        long due = first.atNanos() + first.contact().heartbeatPeriod().multipliedBy(2).plusMillis(200).toNanos();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return s.sourceContact().map(c -> c.heardSince(first.contact())).orElse(true);
    }

    private Answer ask(ServerConfig replica, ServerConfig master, OptionalLong masterServerId, Optional<Reading> earlier) {
        try (ServerSession s = connector.open(replica)) {
            Optional<ReplicaStatus> status = s.replicaStatus().filter(st -> follows(st, master, masterServerId));
            if (status.isEmpty()) {
                return Answer.UNANSWERED;
            }
            return switch (status.get().ioThread()) {
                case RUNNING -> stillHearing(s, earlier) ? Answer.CONNECTED : Answer.LOST;
                case CONNECTING -> Answer.LOST;
                case STOPPED -> Answer.UNANSWERED;
            };
        } catch (ServerUnreachableException | ServerRefusedException | SQLException e) {
            return Answer.UNANSWERED;
        }
    }

    /** By address, or by server_id when the replica reaches the master by another name than the probe does. */
    private static boolean follows(ReplicaStatus status, ServerConfig master, OptionalLong masterServerId) {
        return Addresses.same(status.sourceHost(), status.sourcePort(), master.host(), master.port())
                || (masterServerId.isPresent() && status.sourceServerId() == masterServerId.getAsLong());
    }
}
