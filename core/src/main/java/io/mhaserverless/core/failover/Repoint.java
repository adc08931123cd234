package io.mhaserverless.core.failover;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.Credentials;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.mysql.SourceChange;
import java.sql.SQLException;

/** Points a replica at a new source with GTID auto-positioning: the same four steps wherever it is used. */
final class Repoint {

    private Repoint() {
    }

    static void toSource(ServerSession replica, ServerConfig source, ClusterConfig config) throws SQLException {
        Credentials repl = config.replicationCredentials().orElseThrow(() -> new FailoverException(
                "replicationUser and replicationPassword are needed in the config to repoint replicas"));
        replica.execute(replica.flavor().stopReplica());
        for (var sql : replica.flavor().alignReplicaGtidPosition(replica.facts())) {
            replica.execute(sql);
        }
        replica.execute(replica.flavor().changeSource(new SourceChange(source.host(), source.port(), repl.user(),
                repl.password().orElse(""), new SourceChange.GtidAutoPosition())));
        replica.execute(replica.flavor().startReplica());
    }
}
