package io.mhaserverless.core.workflow;

import io.mhaserverless.core.config.Names;
import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The input of an execution, as an operator types it for {@code aws stepfunctions start-execution}
 * and as the probe sends it:
 * {@code {"cluster":"app1","mode":"failover","deadMaster":"db1","newMaster":null,"force":false}}, or for a
 * planned switchover {@code {"cluster":"app1","mode":"switchover","newMaster":"db2","origMasterIsNewSlave":true,
 * "runningUpdatesLimit":1}}. Every field but {@code cluster} may be left out. A misspelt field is an error, not a default: an
 * operator who typed {@code "ignoreLastFailver": true} must not get a refusal they cannot explain.
 *
 * @param deadMaster         the master that died (null: discovered)
 * @param newMaster          the replica to promote (null: MHA's selection rules)
 * @param force              promote despite errant transactions or too much lag (MHA's --force)
 * @param ignoreLastFailover run even though the last failover was recent or failed (MHA's --ignore_last_failover)
 * @param lastSeenMasterBinlog the probe's last sight of the master's binlog position (file:pos), so the report
 *                           can say how much may be lost if the dead master's binlog cannot be saved
 * @param origMasterIsNewSlave switchover: the old master replicates from the new one afterwards (MHA's --orig_master_is_new_slave)
 * @param runningUpdatesLimit switchover: seconds of replica lag and of a statement running on the master that the
 *                           switch accepts (MHA's --running_updates_limit, default 1); null for a failover
 * @param server             rejoin ({@code {"cluster":"app1","mode":"rejoin","server":"db1"}}): the old master that
 *                           comes back as a replica of the current master; null otherwise
 */
public record FailoverRequest(String cluster, Mode mode, String deadMaster, String newMaster, boolean force,
                              boolean ignoreLastFailover, String lastSeenMasterBinlog, boolean origMasterIsNewSlave,
                              Long runningUpdatesLimit, String server) {

    public enum Mode { FAILOVER, SWITCHOVER, REJOIN }

    /** MHA's default running_updates_limit. */
    public static final long DEFAULT_RUNNING_UPDATES_LIMIT = 1;
    /** More than an hour of lag or of a running statement is no planned switchover. */
    static final long MAX_RUNNING_UPDATES_LIMIT = 3600;

    private static final Set<String> FIELDS = Set.of("cluster", "mode", "deadMaster", "newMaster", "force", "ignoreLastFailover",
            "lastSeenMasterBinlog", "origMasterIsNewSlave", "runningUpdatesLimit", "server");

    /** A failover's or a switchover's request: no rejoining server. */
    public FailoverRequest(String cluster, Mode mode, String deadMaster, String newMaster, boolean force, boolean ignoreLastFailover,
                           String lastSeenMasterBinlog, boolean origMasterIsNewSlave, Long runningUpdatesLimit) {
        this(cluster, mode, deadMaster, newMaster, force, ignoreLastFailover, lastSeenMasterBinlog, origMasterIsNewSlave,
                runningUpdatesLimit, null);
    }

    /** A failover's request: the switchover's fields unset. */
    public FailoverRequest(String cluster, Mode mode, String deadMaster, String newMaster, boolean force, boolean ignoreLastFailover,
                           String lastSeenMasterBinlog) {
        this(cluster, mode, deadMaster, newMaster, force, ignoreLastFailover, lastSeenMasterBinlog, false, null);
    }

    /** The execution's input names a switchover: its first state is CheckSwitchover, not CheckConfiguration. */
    public boolean switchover() {
        return mode == Mode.SWITCHOVER;
    }

    /** The execution's input names a rejoin: its first state is CheckRejoin. */
    public boolean rejoin() {
        return mode == Mode.REJOIN;
    }
    /** Names as the config allows them for clusters and servers; also keeps DynamoDB keys and SSM paths sane. */

    /** Validates the raw input; the message of the {@link InputRejected} names the field. */
    public static FailoverRequest parse(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new InputRejected("input: expected a JSON object like {\"cluster\":\"app1\",\"mode\":\"failover\"}, got "
                    + (input == null ? "nothing" : input.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InputRejected("input field '" + name + "' is unknown (known: cluster, mode, deadMaster, newMaster, force,"
                        + " ignoreLastFailover, lastSeenMasterBinlog, origMasterIsNewSlave, runningUpdatesLimit, server)");
            }
        }
        String cluster = name(input, "cluster", true);
        Mode mode = mode(input);
        String deadMaster = name(input, "deadMaster", false);
        String newMaster = name(input, "newMaster", false);
        boolean force = flag(input, "force");
        boolean ignoreLastFailover = flag(input, "ignoreLastFailover");
        String lastSeen = binlogPosition(input, "lastSeenMasterBinlog");
        boolean origMasterIsNewSlave = flag(input, "origMasterIsNewSlave");
        Long limit = seconds(input, "runningUpdatesLimit");
        String server = name(input, "server", mode == Mode.REJOIN);
        if (mode == Mode.REJOIN) {
            // a rejoin brings one server back; what a failover or a switchover decides does not apply
            for (String other : new String[] {"deadMaster", "newMaster", "force", "lastSeenMasterBinlog", "origMasterIsNewSlave",
                    "runningUpdatesLimit"}) {
                if (input.hasNonNull(other)) {
                    throw new InputRejected("input field '" + other + "' does not apply to a rejoin (mode \"rejoin\"), which takes"
                            + " cluster, server and ignoreLastFailover");
                }
            }
            return new FailoverRequest(cluster, mode, null, null, false, ignoreLastFailover, null, false, null, server);
        }
        if (server != null) {
            throw new InputRejected("input field 'server' applies to a rejoin (mode \"rejoin\"), not to a " + mode.name().toLowerCase(Locale.ROOT));
        }
        if (mode == Mode.SWITCHOVER) {
            // a switchover moves a live master: what only a dead master's failover means is a mistake here
            for (String deadOnly : new String[] {"deadMaster", "lastSeenMasterBinlog"}) {
                if (input.hasNonNull(deadOnly)) {
                    throw new InputRejected("input field '" + deadOnly + "' applies to a failover of a dead master, not to a"
                            + " switchover (mode \"switchover\")");
                }
            }
            return new FailoverRequest(cluster, mode, null, newMaster, force, ignoreLastFailover, null, origMasterIsNewSlave,
                    limit == null ? DEFAULT_RUNNING_UPDATES_LIMIT : limit);
        }
        for (String switchoverOnly : new String[] {"origMasterIsNewSlave", "runningUpdatesLimit"}) {
            if (input.hasNonNull(switchoverOnly)) {
                throw new InputRejected("input field '" + switchoverOnly + "' applies to a switchover (mode \"switchover\"),"
                        + " not to a failover");
            }
        }
        if (deadMaster != null && deadMaster.equals(newMaster)) {
            throw new InputRejected("input field 'newMaster': " + newMaster + " is also the deadMaster");
        }
        return new FailoverRequest(cluster, mode, deadMaster, newMaster, force, ignoreLastFailover, lastSeen);
    }

    private static Long seconds(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToExactIntegral() || v.asLong() < 0 || v.asLong() > MAX_RUNNING_UPDATES_LIMIT) {
            throw new InputRejected("input field '" + field + "': expected whole seconds from 0 to " + MAX_RUNNING_UPDATES_LIMIT
                    + ", got " + v);
        }
        return v.asLong();
    }

    private static String name(JsonNode input, String field, boolean required) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InputRejected("input field '" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual() || !Names.valid(v.asText())) {
            throw new InputRejected("input field '" + field + "': expected a name (" + Names.RULE + "), got " + v);
        }
        return v.asText();
    }

    private static String binlogPosition(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return BinlogCoordinates.parse(v.asText()).toString();
        } catch (RuntimeException e) {
            throw new InputRejected("input field '" + field + "': expected a binlog position like \"mysql-bin.000042:1234\", got " + v);
        }
    }

    private static Mode mode(JsonNode input) {
        JsonNode v = input.get("mode");
        if (v == null || v.isNull()) {
            return Mode.FAILOVER;
        }
        String text = v.isTextual() ? v.asText().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "failover" -> Mode.FAILOVER;
            case "switchover" -> Mode.SWITCHOVER;
            case "rejoin" -> Mode.REJOIN;
            default -> throw new InputRejected("input field 'mode': expected \"failover\", \"switchover\" or \"rejoin\", got " + v);
        };
    }

    private static boolean flag(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InputRejected("input field '" + field + "': expected true or false, got " + v);
        }
        return v.asBoolean();
    }
}
