package io.mhaserverless.core.metrics;

import io.mhaserverless.core.failover.FailoverOutcome;
import io.mhaserverless.core.failover.FailoverState;
import io.mhaserverless.core.failover.PhaseName;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one failover's end tells CloudWatch and the operator: its outcome, how long it took and how
 * long until the new master took writes, each phase's time, the replicas not recovered, and the
 * binlog bytes that may be lost. The same figures go to EMF ({@link #sets()}) and to the console
 * ({@link #summary()}).
 */
public record FailoverFigures(String cluster, FailoverOutcome outcome, long failoverMillis, OptionalLong timeToWritableMillis,
                              Map<String, Long> phaseMillis, int replicasNotRecovered, OptionalLong bytesPossiblyLost) {

    public static FailoverFigures of(FailoverState state, FailoverOutcome outcome, long endMillis) {
        Map<String, Long> phases = new LinkedHashMap<>();
        OptionalLong writable = OptionalLong.empty();
        for (FailoverState.PhaseRecord p : state.phases()) {
            phases.put(p.phase(), p.millis());
            if (p.phase().equals(PhaseName.RECOVER_NEW_MASTER.stateName())) {
                // RecoverNewMaster ends with read_only off: from then on the new master takes writes
                writable = OptionalLong.of(Math.max(0, p.startedAtMillis() + p.millis() - state.startedAtMillis()));
            }
        }
        int notRecovered = (int) (state.outcomes().stream().filter(o -> !o.ok()).count() + state.leftOut().size());
        return new FailoverFigures(state.cluster(), outcome, Math.max(0, endMillis - state.startedAtMillis()), writable, phases,
                notRecovered, bytesPossiblyLost(state));
    }

    /**
     * The dead master's binlog between the boundary and where the probe last saw it, when it could not
     * be saved and both positions are in one file; 0 when nothing can be lost; empty when unknowable.
     */
    static OptionalLong bytesPossiblyLost(FailoverState state) {
        if (state.salvage() == null || state.salvage().status() == io.mhaserverless.core.failover.FailoverState.Salvage.Status.PENDING) {
            return OptionalLong.empty(); // the failover ended before the salvage: nothing is known
        }
        if (!state.lossPossible()) {
            return OptionalLong.of(0);
        }
        if (state.lastSeenMasterBinlog() == null) {
            return OptionalLong.empty();
        }
        BinlogCoordinates from = BinlogCoordinates.parse(state.salvage().from());
        BinlogCoordinates seen = BinlogCoordinates.parse(state.lastSeenMasterBinlog());
        return from.file().equals(seen.file()) && seen.position() >= from.position()
                ? OptionalLong.of(seen.position() - from.position()) : OptionalLong.empty();
    }

    public List<MetricSet> sets() {
        List<MetricSet.Metric> main = new ArrayList<>();
        main.add(MetricSet.Metric.of(Metrics.FAILOVERS, 1, MetricSet.Unit.COUNT));
        boolean failed = outcome == FailoverOutcome.FAILED;
        boolean refused = outcome == FailoverOutcome.REFUSED;
        main.add(MetricSet.Metric.of(Metrics.FAILOVER_SUCCEEDED, failed || refused ? 0 : 1, MetricSet.Unit.COUNT));
        main.add(MetricSet.Metric.of(Metrics.FAILOVER_FAILED, failed ? 1 : 0, MetricSet.Unit.COUNT));
        main.add(MetricSet.Metric.of(Metrics.FAILOVER_REFUSED, refused ? 1 : 0, MetricSet.Unit.COUNT));
        main.add(MetricSet.Metric.of(Metrics.FAILOVER_TIME, failoverMillis, MetricSet.Unit.MILLISECONDS));
        timeToWritableMillis.ifPresent(t -> main.add(MetricSet.Metric.of(Metrics.TIME_TO_WRITABLE, t, MetricSet.Unit.MILLISECONDS)));
        main.add(MetricSet.Metric.of(Metrics.REPLICAS_NOT_RECOVERED, replicasNotRecovered, MetricSet.Unit.COUNT));
        bytesPossiblyLost.ifPresent(b -> main.add(MetricSet.Metric.of(Metrics.BYTES_POSSIBLY_LOST, b, MetricSet.Unit.BYTES)));
        List<MetricSet> sets = new ArrayList<>();
        sets.add(new MetricSet(Map.of(Metrics.CLUSTER, cluster), main, Map.of("Outcome", outcome.label())));
        phaseMillis.forEach((phase, millis) -> sets.add(new MetricSet(orderedDimensions(phase),
                List.of(MetricSet.Metric.of(Metrics.PHASE_TIME, millis, MetricSet.Unit.MILLISECONDS)), Map.of())));
        return sets;
    }

    private Map<String, String> orderedDimensions(String phase) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(Metrics.CLUSTER, cluster);
        d.put(Metrics.PHASE, phase);
        return d;
    }

    /** The figures as the console shows them at the end of a failover (mha manager, mha failover, the demo). */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("outcome " + outcome.label() + ", failover " + failoverMillis + " ms"
                + timeToWritableMillis.stream().mapToObj(t -> ", writable after " + t + " ms").findFirst().orElse("")
                + ", replicas not recovered " + replicasNotRecovered
                + ", bytes possibly lost " + (bytesPossiblyLost.isPresent() ? String.valueOf(bytesPossiblyLost.getAsLong()) : "unknown"));
        if (!phaseMillis.isEmpty()) {
            List<String> phases = new ArrayList<>();
            phaseMillis.forEach((p, ms) -> phases.add(p + " " + ms + " ms"));
            lines.add("phases: " + String.join(", ", phases));
        }
        return lines;
    }
}
