package io.mhaserverless.core.mysql;

/** SHOW MASTER STATUS / SHOW BINARY LOG STATUS: where the server writes, and which databases it logs. */
public record BinlogStatus(BinlogCoordinates current, String doDb, String ignoreDb) {

    static BinlogStatus from(Row row) {
        return new BinlogStatus(new BinlogCoordinates(row.text("File"), row.number("Position", 0)),
                row.text("Binlog_Do_DB"), row.text("Binlog_Ignore_DB"));
    }

    public String filters() {
        return "Binlog_Do_DB=" + doDb + ", Binlog_Ignore_DB=" + ignoreDb;
    }
}
