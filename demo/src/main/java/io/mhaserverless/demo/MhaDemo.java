package io.mhaserverless.demo;

import io.mhaserverless.demo.bench.BenchCommand;
import io.mhaserverless.node.ErrorHandler;
import io.mhaserverless.node.UsageErrorHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mha-demo}: what runs on the sandbox of real mariadbd servers rather than on a MySQL host
 * or in the Lambda, so that neither the agent's jar nor the function's carries the sandbox. Each
 * command prints one JSON object on stdout (errors too, as the agent does) and its report on stderr.
 */
@Command(name = "mha-demo",
        mixinStandardHelpOptions = true,
        description = "MHA Serverless on the local sandbox of real mariadbd servers: the demo and the benchmarks.",
        subcommands = {DemoCommand.class, BenchCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:error", "2:usage error"})
public final class MhaDemo implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with their own out / err writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new MhaDemo())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(new UsageErrorHandler());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
