package io.mhaserverless.node.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One invocation of the agent as it travels: the subcommand, its arguments (never a password) and
 * whether it connects to MySQL, in which case the caller hands it credentials out of band
 * ({@link AgentCredentials}). Each factory is the one place that spells its subcommand's options.
 */
public record AgentCall(String subcommand, List<String> arguments, boolean withCredentials) {

    public AgentCall {
        arguments = List.copyOf(arguments);
    }

    /** The argv after the program: the subcommand, then its arguments. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>(arguments.size() + 1);
        argv.add(subcommand);
        argv.addAll(arguments);
        return argv;
    }

    /** @param from a binlog coordinate {@code file:pos} (a transaction boundary) */
    public static AgentCall saveBinlog(String binlogDir, String binlogPrefix, String from, String out) {
        return new AgentCall(Subcommand.SAVE_BINLOG, List.of("--binlog-dir", binlogDir, "--binlog-prefix", binlogPrefix,
                "--from", from, "--out", out), false);
    }

    /**
     * save-binlog --apply-to: saves as {@link #saveBinlog} does, then applies the saved events to
     * {@code targetHost:targetPort} in the same run (one agent start instead of two), leaving out
     * groups whose GTID is in {@code skipGtids}. Exit {@link ExitCodes#NOT_SAVED}: nothing was applied.
     */
    public static AgentCall saveBinlogAndApply(String binlogDir, String binlogPrefix, String from, String out, String targetHost,
                                               int targetPort, Optional<String> skipGtids, long timeoutSeconds) {
        List<String> args = new ArrayList<>(List.of("--binlog-dir", binlogDir, "--binlog-prefix", binlogPrefix, "--from", from,
                "--out", out, "--apply-to", targetHost + ":" + targetPort));
        skipGtids.filter(g -> !g.isBlank()).ifPresent(g -> args.addAll(List.of("--skip-gtids", g)));
        args.addAll(List.of("--timeout-seconds", Long.toString(Math.max(1, timeoutSeconds))));
        return new AgentCall(Subcommand.SAVE_BINLOG, args, true);
    }

    /**
     * This save-binlog --apply-to, applied only if the agent starts by {@code epochMillis} (the
     * caller's clock): a caller that stops waiting for a command still undelivered counts it as
     * nothing applied and lets the new master take writes, so a command SSM delivers after that
     * must not apply the old master's tail behind those writes. It then exits
     * {@link ExitCodes#NOT_SAVED} (status "too-late") having saved and applied nothing.
     */
    public AgentCall startingBy(long epochMillis) {
        if (!Subcommand.SAVE_BINLOG.equals(subcommand) || !arguments.contains("--apply-to")) {
            throw new IllegalStateException("--start-by belongs to save-binlog --apply-to only");
        }
        List<String> args = new ArrayList<>(arguments);
        args.addAll(List.of("--start-by", Long.toString(epochMillis)));
        return new AgentCall(subcommand, args, withCredentials);
    }

    /** save-binlog --check: can the binlog be read from {@code from}? Writes nothing (MHA: save_binary_logs --command=test). */
    public static AgentCall checkBinlog(String binlogDir, String binlogPrefix, String from) {
        return new AgentCall(Subcommand.SAVE_BINLOG, List.of("--binlog-dir", binlogDir, "--binlog-prefix", binlogPrefix,
                "--from", from, "--check"), false);
    }

    /** The relay-log part of an apply-diff: source coordinates {@code file:pos}; {@code until} inclusive. */
    public record RelayRange(String relayLogIndex, String from, Optional<String> until) {
    }

    /**
     * @param skipGtids      the target's executed GTIDs: groups it has are left out (blank = none)
     * @param timeoutSeconds the agent's own limit for the apply, so it stops before its caller gives up
     */
    public static AgentCall applyDiff(String targetHost, int targetPort, Optional<RelayRange> relay, Optional<String> savedBinlog,
                                      Optional<String> skipGtids, long timeoutSeconds) {
        List<String> args = new ArrayList<>(List.of("--target-host", targetHost, "--target-port", Integer.toString(targetPort)));
        relay.ifPresent(r -> {
            args.addAll(List.of("--relay-log-index", r.relayLogIndex(), "--from-source", r.from()));
            r.until().ifPresent(u -> args.addAll(List.of("--until-source", u)));
        });
        savedBinlog.ifPresent(b -> args.addAll(List.of("--binlog", b)));
        skipGtids.filter(g -> !g.isBlank()).ifPresent(g -> args.addAll(List.of("--skip-gtids", g)));
        args.addAll(List.of("--timeout-seconds", Long.toString(Math.max(1, timeoutSeconds))));
        return new AgentCall(Subcommand.APPLY_DIFF, args, true);
    }

    /** Where, in a replica's relay logs, the events after a source coordinate start (exit 12: nowhere any more). */
    public static AgentCall findRelayPosition(String relayLogIndex, String sourceFile, long sourcePos) {
        return new AgentCall(Subcommand.FIND_RELAY_POSITION, List.of("--relay-log-index", relayLogIndex, "--source-file", sourceFile,
                "--source-pos", Long.toString(sourcePos)), false);
    }

    public static AgentCall bindIp(String address, String networkInterface) {
        return new AgentCall(Subcommand.BIND_IP, List.of("--address", address, "--interface", networkInterface), false);
    }

    /** bind-ip that reports success only once EC2's instance metadata lists the address on that interface (AWS). */
    public static AgentCall bindIpConfirmed(String address, String networkInterface) {
        return new AgentCall(Subcommand.BIND_IP, List.of("--address", address, "--interface", networkInterface, "--confirm-metadata"),
                false);
    }

    public static AgentCall unbindIp(String address, String networkInterface) {
        return new AgentCall(Subcommand.UNBIND_IP, List.of("--address", address, "--interface", networkInterface), false);
    }

    /** self-check: the agent's version, and that it can read the binlog directory when one is given (mha check-agents). */
    public static AgentCall selfCheck(java.util.Optional<String> binlogDir) {
        return new AgentCall(Subcommand.SELF_CHECK, binlogDir.map(d -> List.of("--binlog-dir", d)).orElse(List.of()), false);
    }

    public static AgentCall checkMaster(String host, int port) {
        return new AgentCall(Subcommand.CHECK_MASTER, List.of("--host", host, "--port", Integer.toString(port)), false);
    }
}
