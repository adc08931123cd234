package io.mhaserverless.core.topology;

import java.util.List;

/** The outcome of the start-up checks: healthy when no finding is an ERROR. */
public record HealthReport(Topology topology, List<Finding> findings) {

    public HealthReport {
        findings = List.copyOf(findings);
    }

    public boolean healthy() {
        return errors().isEmpty();
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.WARN).toList();
    }
}
