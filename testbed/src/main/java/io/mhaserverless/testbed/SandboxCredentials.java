package io.mhaserverless.testbed;

/**
 * The accounts every sandbox server is created with. They exist only in throw-away datadirs
 * on loopback, which is why they can be constants.
 */
public final class SandboxCredentials {
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    public static final String REPL_USER = "repl";
    public static final String REPL_PASSWORD = "repl";

    private SandboxCredentials() {
    }

    /** Bootstrap SQL run by mariadb-install-db; nothing here is binlogged, so GTID state starts empty. */
    static String bootstrapSql() {
        // --extra-file runs under --skip-grant-tables: FLUSH PRIVILEGES first or CREATE USER fails (1290).
        return String.join("\n",
                "FLUSH PRIVILEGES;",
                "CREATE USER '" + ADMIN_USER + "'@'%' IDENTIFIED BY '" + ADMIN_PASSWORD + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'%' WITH GRANT OPTION;",
                "CREATE USER '" + REPL_USER + "'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "';",
                "GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO '" + REPL_USER + "'@'%';",
                "");
    }
}
