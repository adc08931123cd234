package io.mhaserverless.demo.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bench command (options only: the work, which needs the sandbox and JDBC, is in
 * {@link RelayPositionBenchRun}).
 * find-relay-position against a mysqlbinlog-based scan (what find_relay_start.sh does, MHA's way
 * of reading relay logs), on relay logs written by a real replica of the sandbox; plus building and
 * applying a diff. Prints numbers (median / min / max of N runs); asserts nothing.
 */
@Command(name = "relay-position",
        header = "find-relay-position vs a mysqlbinlog scan; apply-diff timings.",
        mixinStandardHelpOptions = true,
        description = {"Times find-relay-position against a mariadb-binlog scan of the same relay files (headers through "
                        + "--base64-output=decode-rows, searched like find_relay_start.sh, stopping at the match), for a "
                        + "position near the START of the oldest file and one near the END of the newest, median/min/max of "
                        + "--runs; then apply-diff --dry-run and a real apply of a ~100 MB diff to a fresh sandbox server. "
                        + "Without --relay-log-index it makes the relay logs: a FILE-mode sandbox (1 master + 1 replica, + 1 "
                        + "fresh server for the apply), row inserts (--row-bytes, 50 rows per transaction) until the "
                        + "replica's relay logs reach each size (max_relay_log_size 16 MB, FLUSH RELAY LOGS a few times). "
                        + "When the source binlog rotated, also the last commit of its first file (the agent's longest scan).",
                "The report goes to stderr; the JSON on stdout has the same numbers."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "1:error", "2:usage error"})
final class RelayPositionBench implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sizes-mb", split = ",", defaultValue = "100,1000", paramLabel = "N[,N…]",
            description = "relay-log sizes to generate and measure (default: ${DEFAULT-VALUE})")
    List<Integer> sizesMb;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "runs per measurement (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--relay-log-index", paramLabel = "FILE", description = "measure these existing relay logs instead of generating")
    Path relayLogIndex;

    @Option(names = "--apply-mb", defaultValue = "100", paramLabel = "N", description = "size of the applied diff (default: ${DEFAULT-VALUE})")
    int applyMb;

    @Option(names = "--row-bytes", defaultValue = "2048", paramLabel = "N",
            description = "payload bytes per generated row, 1..65000 (default: ${DEFAULT-VALUE})")
    int rowBytes;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || sizesMb.stream().anyMatch(s -> s < 1) || applyMb < 1 || rowBytes < 1 || rowBytes > 65000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs, --sizes-mb and --apply-mb must be positive, --row-bytes 1..65000");
        }
        var json = new RelayPositionBenchRun(sizesMb, runs, relayLogIndex, applyMb, rowBytes, spec.commandLine().getErr()).run();
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
