package io.mhaserverless.cli.mhacnf;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every parameter MHA 0.58's Config.pm accepts, where MHA reads it, and what becomes of it here.
 * The README's "Moving from MHA" table is this enum in prose; {@code MhaParameterTest} keeps the two
 * in step.
 */
public enum MhaParameter {
    HOSTNAME(Scope.SERVER, Handling.MAPPED, "servers[].host"),
    IP(Scope.SERVER, Handling.MAPPED, "servers[].host (MHA connects to ip when it is given, so it wins over hostname)"),
    PORT(Scope.ANY, Handling.MAPPED, "servers[].port"),
    CANDIDATE_MASTER(Scope.SERVER, Handling.MAPPED, "servers[].candidateMaster"),
    NO_MASTER(Scope.SERVER, Handling.MAPPED, "servers[].noMaster"),
    IGNORE_FAIL(Scope.SERVER, Handling.MAPPED, "servers[].ignoreFail"),
    MASTER_BINLOG_DIR(Scope.ANY, Handling.MAPPED, "servers[].binlogDir (one directory: the first of MHA's list)"),
    USER(Scope.ANY, Handling.MAPPED, "user; its password goes to the credentialsSecret"),
    PASSWORD(Scope.ANY, Handling.MAPPED, "credentialsSecret: a Secrets Manager secret, never the YAML"),
    REPL_USER(Scope.ANY, Handling.MAPPED, "replicationUser"),
    REPL_PASSWORD(Scope.ANY, Handling.MAPPED, "replicationCredentialsSecret: a Secrets Manager secret, never the YAML"),
    CHECK_REPL_DELAY(Scope.APP, Handling.MAPPED, "checkReplDelay"),
    CHECK_REPL_FILTER(Scope.APP, Handling.MAPPED, "checkReplFilter"),
    LATEST_PRIORITY(Scope.APP, Handling.MAPPED, "latestPriority"),
    MULTI_TIER_SLAVE(Scope.APP, Handling.MAPPED, "multiTierSlave"),
    PING_INTERVAL(Scope.APP, Handling.MAPPED, "pingInterval"),
    PING_TYPE(Scope.APP, Handling.MAPPED, "pingType"),
    SECONDARY_CHECK_SCRIPT(Scope.APP, Handling.MAPPED, "secondaryCheck: true (the node agent on each replica's host tries the "
            + "master over that host's network path; no script and no ssh hosts to list)"),
    MASTER_IP_FAILOVER_SCRIPT(Scope.APP, Handling.MAPPED, "writerIp: {mode: eni, address: <the writer's IP>} "
            + "(the failover moves that secondary private IP to the new master; give it with --writer-ip)"),
    MASTER_IP_ONLINE_CHANGE_SCRIPT(Scope.APP, Handling.MAPPED, "writerIp, which `mha switchover` moves as well"),
    REPORT_SCRIPT(Scope.APP, Handling.MAPPED, "the report SNS topic (subscribe e-mail, HTTPS or AWS Chatbot to it)"),
    SHUTDOWN_SCRIPT(Scope.APP, Handling.NOT_SUPPORTED, "the Stonith port has no AWS adapter yet; the dead master is fenced "
            + "by taking the writer IP away and stopping every replica's IO thread"),
    SKIP_RESET_SLAVE(Scope.ANY, Handling.NOT_SUPPORTED, "the cleanup always runs RESET SLAVE ALL on the new master, so it "
            + "never replicates from the dead one again"),
    DISABLE_LOG_BIN(Scope.ANY, Handling.NOT_SUPPORTED, "recovered events are applied with the binary log on, so that "
            + "the new master's binlog and GTIDs carry them to the replicas"),
    INIT_CONF_LOAD_SCRIPT(Scope.APP, Handling.NOT_SUPPORTED, "every step reads the config from the file or the Parameter "
            + "Store parameter: put the values the script printed into the YAML"),
    SSH_HOST(Scope.SERVER, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SSH_IP(Scope.SERVER, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SSH_PORT(Scope.ANY, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SSH_USER(Scope.ANY, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SSH_CONNECTION_TIMEOUT(Scope.ANY, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SSH_OPTIONS(Scope.ANY, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    SKIP_INIT_SSH_CHECK(Scope.SERVER, Handling.NOT_NEEDED, "no ssh: the node agent runs on the host through SSM"),
    NODE_LABEL(Scope.SERVER, Handling.NOT_NEEDED, "a server is named after its block ([server1] becomes server1)"),
    MASTER_PID_FILE(Scope.ANY, Handling.NOT_NEEDED, "MHA only passed it to shutdown_script"),
    HANDLE_RAW_BINLOG(Scope.ANY, Handling.NOT_NEEDED, "the node agent always saves the dead master's binlog raw"),
    REMOTE_WORKDIR(Scope.ANY, Handling.NOT_NEEDED, "the node agent keeps its files in its own work directory"),
    USE_GTID_AUTO_POS(Scope.ANY, Handling.NOT_NEEDED, "GTID or file/position failover is decided from the servers' own GTID state"),
    LOG_LEVEL(Scope.APP, Handling.NOT_NEEDED, "the functions log to CloudWatch Logs"),
    MANAGER_WORKDIR(Scope.APP, Handling.NOT_NEEDED, "the failover state lives in DynamoDB"),
    MANAGER_LOG(Scope.APP, Handling.NOT_NEEDED, "the functions log to CloudWatch Logs; `mha history` lists past failovers"),
    CLIENT_BINDIR(Scope.APP, Handling.NOT_NEEDED, "the node agent finds mariadb-binlog/mysqlbinlog on PATH or in the system directories"),
    CLIENT_LIBDIR(Scope.APP, Handling.NOT_NEEDED, "the node agent finds mariadb-binlog/mysqlbinlog on PATH or in the system directories");

    /** Where MHA reads a parameter: a server block only, any block, or [server default] only. */
    public enum Scope { SERVER, ANY, APP }

    public enum Handling { MAPPED, NOT_NEEDED, NOT_SUPPORTED }

    private final Scope scope;
    private final Handling handling;
    private final String ours;

    MhaParameter(Scope scope, Handling handling, String ours) {
        this.scope = scope;
        this.handling = handling;
        this.ours = ours;
    }

    /** The name in MHA's files: {@code ping_interval}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public Scope scope() {
        return scope;
    }

    public Handling handling() {
        return handling;
    }

    /** Our equivalent, or why there is none. */
    public String ours() {
        return ours;
    }

    public static Optional<MhaParameter> of(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }
}
