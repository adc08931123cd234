package io.mhaserverless.testbed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What to start: one master ({@code db1}) and 1..4 replicas ({@code db2}…) in a replication mode,
 * with optional extra my.cnf lines per server (for instance {@code skip-log-bin}).
 */
public record SandboxSpec(int replicas, ReplicationMode mode, Map<Integer, List<String>> extraOptions) {

    public static final int MAX_REPLICAS = 4;

    public SandboxSpec {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be 1.." + MAX_REPLICAS + ", was " + replicas);
        }
        extraOptions = Map.copyOf(extraOptions);
    }

    public static SandboxSpec of(int replicas, ReplicationMode mode) {
        return new SandboxSpec(replicas, mode, Map.of());
    }

    /** Adds my.cnf lines to server {@code index} (1 = the master). */
    public SandboxSpec withOptions(int index, String... lines) {
        Map<Integer, List<String>> copy = new HashMap<>(extraOptions);
        copy.merge(index, List.of(lines), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        return new SandboxSpec(replicas, mode, copy);
    }

    public List<String> optionsFor(int index) {
        return extraOptions.getOrDefault(index, List.of());
    }
}
