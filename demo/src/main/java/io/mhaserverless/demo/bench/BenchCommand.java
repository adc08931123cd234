package io.mhaserverless.demo.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print numbers; never asserted in tests. */
@Command(name = "bench",
        header = "Benchmarks (print numbers).",
        mixinStandardHelpOptions = true,
        description = "Benchmarks on the sandbox of real mariadbd servers (they print numbers; nothing is asserted).",
        subcommands = {FailoverBench.class, DetectBench.class, SwitchoverBench.class, WorkflowBench.class, RelayPositionBench.class, ChaosBench.class, AgentStartBench.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "1:error", "2:usage error"})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a benchmark is required: failover, detect, switchover, workflow, relay-position, chaos or agent-start");
    }
}
