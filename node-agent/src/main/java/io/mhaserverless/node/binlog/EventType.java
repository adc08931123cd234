package io.mhaserverless.node.binlog;

/**
 * Binlog event type codes of MySQL (0–42) and MariaDB (160–…) that the node agent looks at; every
 * other type is copied as opaque bytes.
 */
public final class EventType {
    public static final int QUERY = 2;
    public static final int STOP = 3;
    public static final int ROTATE = 4;
    public static final int FORMAT_DESCRIPTION = 15;
    public static final int XID = 16;
    public static final int TABLE_MAP = 19;
    public static final int HEARTBEAT = 27;
    public static final int GTID = 33;
    public static final int ANONYMOUS_GTID = 34;
    public static final int PREVIOUS_GTIDS = 35;
    public static final int XA_PREPARE = 38;
    public static final int TRANSACTION_PAYLOAD = 40;
    public static final int HEARTBEAT_V2 = 41;
    public static final int GTID_TAGGED = 42;
    public static final int MARIADB_ANNOTATE_ROWS = 160;
    public static final int MARIADB_BINLOG_CHECKPOINT = 161;
    public static final int MARIADB_GTID = 162;
    public static final int MARIADB_GTID_LIST = 163;
    public static final int MARIADB_START_ENCRYPTION = 164;

    private EventType() {
    }

    /** An event that opens a transaction group: MariaDB GTID, MySQL GTID, anonymous GTID, tagged GTID. */
    public static boolean isGtid(int type) {
        return type == MARIADB_GTID || type == GTID || type == ANONYMOUS_GTID || type == GTID_TAGGED;
    }

    /**
     * Events that describe a binlog file rather than carry data: format description, rotate, stop,
     * the GTID state at the head of a file, binlog checkpoints, heartbeats. A concatenation of files
     * keeps one format description at its head and drops the rest.
     */
    public static boolean isFileMetadata(int type) {
        return switch (type) {
            case FORMAT_DESCRIPTION, ROTATE, STOP, PREVIOUS_GTIDS, MARIADB_GTID_LIST, MARIADB_BINLOG_CHECKPOINT,
                 HEARTBEAT, HEARTBEAT_V2 -> true;
            default -> false;
        };
    }

    public static String name(int type) {
        return switch (type) {
            case 0 -> "UNKNOWN";
            case 1 -> "START_V3";
            case QUERY -> "QUERY";
            case STOP -> "STOP";
            case ROTATE -> "ROTATE";
            case 5 -> "INTVAR";
            case 13 -> "RAND";
            case 14 -> "USER_VAR";
            case FORMAT_DESCRIPTION -> "FORMAT_DESCRIPTION";
            case XID -> "XID";
            case TABLE_MAP -> "TABLE_MAP";
            case 23 -> "WRITE_ROWS_V1";
            case 24 -> "UPDATE_ROWS_V1";
            case 25 -> "DELETE_ROWS_V1";
            case HEARTBEAT -> "HEARTBEAT";
            case 29 -> "ROWS_QUERY";
            case 30 -> "WRITE_ROWS";
            case 31 -> "UPDATE_ROWS";
            case 32 -> "DELETE_ROWS";
            case GTID -> "GTID";
            case ANONYMOUS_GTID -> "ANONYMOUS_GTID";
            case PREVIOUS_GTIDS -> "PREVIOUS_GTIDS";
            case XA_PREPARE -> "XA_PREPARE";
            case 39 -> "PARTIAL_UPDATE_ROWS";
            case TRANSACTION_PAYLOAD -> "TRANSACTION_PAYLOAD";
            case HEARTBEAT_V2 -> "HEARTBEAT_V2";
            case GTID_TAGGED -> "GTID_TAGGED";
            case MARIADB_ANNOTATE_ROWS -> "ANNOTATE_ROWS";
            case MARIADB_BINLOG_CHECKPOINT -> "BINLOG_CHECKPOINT";
            case MARIADB_GTID -> "MARIADB_GTID";
            case MARIADB_GTID_LIST -> "GTID_LIST";
            case MARIADB_START_ENCRYPTION -> "START_ENCRYPTION";
            default -> "TYPE_" + type;
        };
    }
}
