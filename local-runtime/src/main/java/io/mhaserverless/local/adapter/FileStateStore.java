package io.mhaserverless.local.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mhaserverless.core.port.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link StateStore} in a directory, for the local runtime: one JSON file per cluster holding the
 * lock, the last failover and the history — the facts MHA kept in its manager's working directory
 * ({@code <app>.failover.complete}, {@code <app>.failover.error}). Every change happens under an
 * OS file lock and lands by atomic rename, so two processes failing over the same cluster see the
 * same conditional semantics as the DynamoDB table. The probe's lease and sighting live in a file
 * of their own ({@code <cluster>.probe.json}): renewed every few seconds, they would otherwise
 * rewrite the history each time.
 */
public final class FileStateStore implements StateStore {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's content. */
    record ClusterFile(Lock lock, LastFailover last, List<FailoverRecord> history, Progress progress) {
        ClusterFile {
            history = history == null ? List.of() : List.copyOf(history);
        }
    }

    record Lock(String owner, Instant expiresAt) {
    }

    /** The probe file's content: the lease (null owner when released) and the last sighting. */
    record ProbeFile(String owner, Instant expiresAt, ProbeSighting seen) {
    }

    private static final java.util.concurrent.ConcurrentMap<Path, Object> IN_THIS_JVM = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path directory;
    private final Clock clock;

    public FileStateStore(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** The default place: ~/.mha/state. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".mha", "state");
    }

    @Override
    public boolean lock(String cluster, String owner, Duration ttl) {
        boolean[] taken = {false};
        update(cluster, f -> {
            Instant now = clock.instant();
            if (f.lock() != null && f.lock().expiresAt().isAfter(now) && !f.lock().owner().equals(owner)) {
                return f;
            }
            taken[0] = true;
            return new ClusterFile(new Lock(owner, now.plus(ttl)), f.last(), f.history(), f.progress());
        });
        return taken[0];
    }

    @Override
    public void unlock(String cluster, String owner) {
        update(cluster, f -> f.lock() != null && f.lock().owner().equals(owner) ? new ClusterFile(null, f.last(), f.history(), f.progress()) : f);
    }

    @Override
    public Optional<String> lockOwner(String cluster) {
        Lock lock = read(cluster).lock();
        return lock != null && lock.expiresAt().isAfter(clock.instant()) ? Optional.of(lock.owner()) : Optional.empty();
    }

    @Override
    public Optional<LastFailover> lastFailover(String cluster) {
        return Optional.ofNullable(read(cluster).last());
    }

    @Override
    public void record(FailoverRecord record) {
        update(record.cluster(), f -> {
            if (f.history().stream().anyMatch(h -> h.executionId().equals(record.executionId()))) {
                return f; // recorded already: a retried report step must not undo an acknowledgement
            }
            List<FailoverRecord> history = new ArrayList<>(f.history());
            history.add(record);
            LastFailover.Status status = "failed".equalsIgnoreCase(record.outcome()) ? LastFailover.Status.ERROR
                    : LastFailover.Status.COMPLETED;
            Instant at = record.endedAt() != null ? record.endedAt() : record.startedAt();
            return new ClusterFile(f.lock(), new LastFailover(record.cluster(), record.executionId(), at, status, false), history,
                    f.progress());
        });
    }

    @Override
    public void recordSwitchover(FailoverRecord record) {
        update(record.cluster(), f -> {
            if (f.history().stream().anyMatch(h -> h.executionId().equals(record.executionId()))) {
                return f;
            }
            List<FailoverRecord> history = new ArrayList<>(f.history());
            history.add(record);
            return new ClusterFile(f.lock(), f.last(), history, f.progress());
        });
    }

    @Override
    public void acknowledge(String cluster, String operator) {
        update(cluster, f -> {
            if (f.last() == null) {
                throw new IllegalStateException("cluster " + cluster + " has no failover to acknowledge (state in " + directory + ")");
            }
            LastFailover l = f.last();
            return new ClusterFile(f.lock(), new LastFailover(l.cluster(), l.executionId(), l.at(), l.status(), true), f.history(),
                    f.progress());
        });
    }

    @Override
    public List<FailoverRecord> history(String cluster, int limit) {
        return read(cluster).history().stream().sorted(Comparator.comparing(FailoverRecord::startedAt).reversed())
                .limit(Math.max(0, limit)).toList();
    }

    @Override
    public void saveProgress(Progress progress) {
        update(progress.cluster(), f -> new ClusterFile(f.lock(), f.last(), f.history(), progress));
    }

    @Override
    public Optional<Progress> progress(String cluster) {
        return Optional.ofNullable(read(cluster).progress());
    }

    @Override
    public void clearProgress(String cluster, String executionId) {
        update(cluster, f -> f.progress() != null && f.progress().executionId().equals(executionId)
                ? new ClusterFile(f.lock(), f.last(), f.history(), null) : f);
    }

    @Override
    public boolean holdProbeLease(String cluster, String owner, Duration ttl, ProbeSighting seen) {
        boolean[] held = {false};
        updateProbe(cluster, f -> {
            Instant now = clock.instant();
            if (f.owner() != null && !f.owner().equals(owner) && f.expiresAt().isAfter(now)) {
                return f;
            }
            held[0] = true;
            return new ProbeFile(owner, now.plus(ttl), seen);
        });
        return held[0];
    }

    @Override
    public void releaseProbeLease(String cluster, String owner) {
        updateProbe(cluster, f -> owner.equals(f.owner()) ? new ProbeFile(null, clock.instant(), f.seen()) : f);
    }

    @Override
    public Optional<ProbeStatus> probeStatus(String cluster) {
        ProbeFile f = read(probeFile(cluster), ProbeFile.class, null);
        return f == null ? Optional.empty() : Optional.of(new ProbeStatus(cluster, f.owner(), f.expiresAt(), f.seen()));
    }

    private ClusterFile read(String cluster) {
        return read(file(cluster), ClusterFile.class, new ClusterFile(null, null, List.of(), null));
    }

    private static <T> T read(Path file, Class<T> type, T absent) {
        try {
            return Files.exists(file) ? JSON.readValue(file.toFile(), type) : absent;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void update(String cluster, UnaryOperator<ClusterFile> change) {
        update(cluster, file(cluster), ClusterFile.class, new ClusterFile(null, null, List.of(), null), change);
    }

    private void updateProbe(String cluster, UnaryOperator<ProbeFile> change) {
        update(cluster, probeFile(cluster), ProbeFile.class, new ProbeFile(null, Instant.EPOCH, null), change);
    }

    private <T> void update(String cluster, Path file, Class<T> type, T absent, UnaryOperator<T> change) {
        // The OS lock excludes other processes; within this JVM it would throw OverlappingFileLockException
        // to a second holder, so threads of every instance on the same file take turns first.
        Object turn = IN_THIS_JVM.computeIfAbsent(directory.resolve(cluster).toAbsolutePath().normalize(), k -> new Object());
        synchronized (turn) {
            try {
                Files.createDirectories(directory);
                try (FileChannel guard = FileChannel.open(directory.resolve(cluster + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock held = guard.lock()) {
                    T before = read(file, type, absent);
                    T after = change.apply(before);
                    if (after != before) {
                        Path tmp = Files.createTempFile(directory, cluster, ".tmp");
                        JSON.writeValue(tmp.toFile(), after);
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update the state of cluster " + cluster + " in " + directory, e);
            }
        }
    }

    private Path file(String cluster) {
        return directory.resolve(cluster + ".json");
    }

    private Path probeFile(String cluster) {
        return directory.resolve(cluster + ".probe.json");
    }

    @Override
    public String toString() {
        return "FileStateStore[" + directory + "]";
    }
}
