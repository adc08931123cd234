package io.mhaserverless.core.metrics;

/**
 * Where the probe's and the failover's figures go: CloudWatch through EMF lines on stdout on Lambda
 * ({@link Emf}), a list in tests, nowhere by default. Emitting must never fail a failover: a sink
 * swallows its own trouble.
 */
@FunctionalInterface
public interface MetricsSink {

    void emit(MetricSet set);

    /** A failover's end: its figures, each set emitted; a console sink also prints {@link FailoverFigures#summary()}. */
    default void failover(FailoverFigures figures) {
        for (MetricSet set : figures.sets()) {
            try {
                emit(set);
            } catch (RuntimeException e) {
                // figures are for watching; they never turn a failover's end into an error
            }
        }
    }

    MetricsSink NONE = set -> { };
}
