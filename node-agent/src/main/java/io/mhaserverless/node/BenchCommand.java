package io.mhaserverless.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print numbers; never asserted in tests. */
@Command(name = "bench",
        header = "Benchmarks (print numbers).",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of the node agent's tools (they print numbers; nothing is asserted).",
        subcommands = RelayPositionBench.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "1:error", "2:usage error"})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: relay-position");
    }
}
