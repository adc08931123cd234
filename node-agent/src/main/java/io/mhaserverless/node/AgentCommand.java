package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A subcommand: does its work in {@link #execute()}, which returns the JSON result and the exit code. */
abstract class AgentCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Log log;

    record Outcome(JsonObject json, int exit) {
        static Outcome ok(JsonObject json) {
            return new Outcome(json, ExitCodes.OK);
        }
    }

    abstract Outcome execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        Outcome outcome = execute();
        Json.print(spec.commandLine().getOut(), outcome.json());
        return outcome.exit();
    }

    Log log() {
        if (log == null) {
            log = new Log(spec.commandLine().getErr(), spec.name());
        }
        return log;
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
