package io.mhaserverless.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the agent in-process, as a caller sees it: exit code, the stdout JSON, the stderr log. */
public record AgentRun(int exit, String stdout, String stderr) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static AgentRun of(String... args) {
        CommandLine cmd = AgentCommandLine.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new AgentRun(exit, out.toString(), err.toString());
    }

    public static AgentRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** The one JSON object on stdout (fails when stdout is not exactly one JSON line). */
    public JsonNode json() {
        String[] lines = stdout.strip().split("\n");
        if (lines.length != 1) {
            throw new AssertionError("expected one JSON line on stdout, got: " + stdout + "\nstderr: " + stderr);
        }
        try {
            return JSON.readTree(lines[0]);
        } catch (Exception e) {
            throw new AssertionError("stdout is not JSON: " + stdout + "\nstderr: " + stderr, e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
}
