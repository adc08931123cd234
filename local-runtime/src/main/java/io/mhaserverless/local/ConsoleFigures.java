package io.mhaserverless.local;

import io.mhaserverless.core.metrics.FailoverFigures;
import io.mhaserverless.core.metrics.MetricSet;
import io.mhaserverless.core.metrics.MetricsSink;
import java.util.function.Consumer;

/**
 * The figures a failover's end sends to CloudWatch on AWS, printed for the operator instead
 * ({@code mha manager}, {@code mha failover}, the demo): the same {@link FailoverFigures}, as lines.
 */
public final class ConsoleFigures implements MetricsSink {

    private final Consumer<String> out;

    public ConsoleFigures(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void emit(MetricSet set) {
        // single sets (the probe's minute) are for CloudWatch; the console shows a failover's end
    }

    @Override
    public void failover(FailoverFigures figures) {
        figures.summary().forEach(line -> out.accept("Figures: " + line));
    }
}
