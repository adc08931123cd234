package io.mhaserverless.node.protocol;

import java.util.List;

/**
 * The agent's subcommand names, as they travel: argv[0] locally, the {@code subcommand} parameter of
 * the SSM document. Constants rather than an enum so that the agent's picocli annotations can name them.
 */
public final class Subcommand {
    public static final String SAVE_BINLOG = "save-binlog";
    public static final String FIND_RELAY_POSITION = "find-relay-position";
    public static final String APPLY_DIFF = "apply-diff";
    public static final String PURGE_RELAY_LOGS = "purge-relay-logs";
    public static final String CHECK_MASTER = "check-master";
    public static final String BIND_IP = "bind-ip";
    public static final String UNBIND_IP = "unbind-ip";
    public static final String SELF_CHECK = "self-check";

    /** Every subcommand, in the order the agent's help lists them (the SSM document allows exactly these). */
    public static final List<String> ALL = List.of(SAVE_BINLOG, FIND_RELAY_POSITION, APPLY_DIFF, PURGE_RELAY_LOGS, CHECK_MASTER,
            BIND_IP, UNBIND_IP, SELF_CHECK);

    private Subcommand() {
    }
}
