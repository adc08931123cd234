package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.SourceChange;
import java.sql.SQLException;

/** Points a replica at a new source: the same steps wherever it is used (failover and switchover). */
public final class Repoint {

    private Repoint() {
    }

    /** GTID auto-positioning: the source works out what the replica lacks. */
    public static void toSource(ServerSession replica, ServerConfig source, ClusterConfig config) throws SQLException {
        change(replica, source, config, new SourceChange.GtidAutoPosition());
    }

    /** Classic positioning: the replica starts at {@code start} of the source's binlog. */
    public static void toSource(ServerSession replica, ServerConfig source, ClusterConfig config, BinlogCoordinates start)
            throws SQLException {
        change(replica, source, config, new SourceChange.FilePosition(start));
    }

    private static void change(ServerSession replica, ServerConfig source, ClusterConfig config,
                               SourceChange.Positioning positioning) throws SQLException {
        Credentials repl = config.replicationCredentials().orElseThrow(() -> new FailoverException(
                "replicationUser and replicationPassword are needed in the config to repoint replicas"));
        if (repl.password().isEmpty() && repl.secretId().isPresent()) {
            // the AWS runtime resolves the secret before any phase runs; a runtime that cannot must not repoint with no password
            throw new FailoverException("replicationCredentialsSecret " + repl.secretId().get()
                    + " needs AWS Secrets Manager, which this runtime does not read: give replicationPassword instead");
        }
        replica.execute(replica.flavor().stopReplica());
        if (positioning instanceof SourceChange.GtidAutoPosition) {
            for (var sql : replica.flavor().alignReplicaGtidPosition(replica.facts())) {
                replica.execute(sql);
            }
        }
        replica.execute(replica.flavor().changeSource(new SourceChange(source.host(), source.port(), repl.user(),
                repl.password().orElse(""), positioning)));
        replica.execute(replica.flavor().startReplica());
    }
}
