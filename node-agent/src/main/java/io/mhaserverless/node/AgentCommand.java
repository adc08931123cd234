package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A subcommand: does its work in {@link #execute()}, which returns the JSON result and the exit code.
 * It runs under picocli ({@link #spec} set) or, for the hot subcommands' plain arguments, under
 * {@link QuickStart} ({@link #attach} called instead): nothing here may touch picocli then.
 */
abstract class AgentCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter quickOut;
    private PrintWriter quickErr;
    private String quickName;
    private Log log;

    record Outcome(JsonObject json, int exit) {
        static Outcome ok(JsonObject json) {
            return new Outcome(json, ExitCodes.OK);
        }
    }

    abstract Outcome execute() throws Exception;

    /** Runs without picocli: the command's fields are already set by {@link QuickStart}. */
    final void attach(String name, PrintWriter out, PrintWriter err) {
        this.quickName = name;
        this.quickOut = out;
        this.quickErr = err;
    }

    @Override
    public final Integer call() throws Exception {
        Outcome outcome = execute();
        Json.print(out(), outcome.json());
        return outcome.exit();
    }

    final PrintWriter out() {
        return spec == null ? quickOut : spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec == null ? quickErr : spec.commandLine().getErr();
    }

    final String name() {
        return spec == null ? quickName : spec.name();
    }

    Log log() {
        if (log == null) {
            log = new Log(err(), name());
        }
        return log;
    }

    /**
     * A usage error found after parsing (a value out of range…). Without picocli there is no usage
     * text to print, so {@link QuickStart} hands the whole call to picocli, which finds it again:
     * every such check comes before the command changes anything.
     */
    RuntimeException usage(String message) {
        if (spec == null) {
            return new QuickStart.NeedsPicocli(message);
        }
        return UsageErrorHandler.usageError(spec.commandLine(), message);
    }
}
