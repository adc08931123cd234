package io.mhaserverless.demo.bench;

import io.mhaserverless.core.failover.FailoverState.PhaseRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time of each state over the runs of a benchmark, from the phase records of each run's
 * report: where a failover's time goes. "before" is death confirmed → the first state started
 * (the starter, the lock, the interpreter), "between" the sum of the gaps between states (the
 * interpreter's transitions, Map set-up, saving the progress).
 */
final class StateTimes {

    static final String BEFORE = "before (confirmed -> first state)";
    static final String BETWEEN = "between states (sum of gaps)";

    private final Map<String, List<Long>> millis = new LinkedHashMap<>();

    void add(long confirmedAt, List<PhaseRecord> phases) {
        if (phases.isEmpty()) {
            return;
        }
        record(BEFORE, phases.get(0).startedAtMillis() - confirmedAt);
        long gaps = 0;
        for (int i = 0; i < phases.size(); i++) {
            PhaseRecord p = phases.get(i);
            record(p.phase(), p.millis());
            if (i > 0) {
                PhaseRecord before = phases.get(i - 1);
                gaps += Math.max(0, p.startedAtMillis() - (before.startedAtMillis() + before.millis()));
            }
        }
        record(BETWEEN, gaps);
    }

    void print(PrintWriter out) {
        millis.forEach((state, values) -> out.println("  " + FailoverBench.summary(state, values)));
    }

    private void record(String state, long value) {
        millis.computeIfAbsent(state, s -> new ArrayList<>()).add(value);
    }
}
