package io.mhaserverless.node.binlog;

import java.nio.charset.StandardCharsets;

/**
 * Follows event groups (transactions and standalone statements) through a stream of events: counts
 * the groups that started and knows whether the stream stops inside one. A group starts at a GTID
 * event (any flavor) or, in binlogs without GTIDs, at a BEGIN or a standalone statement; it ends at
 * XID, COMMIT/ROLLBACK, XA PREPARE, a MySQL TRANSACTION_PAYLOAD, or after the one statement of a
 * standalone group (DDL).
 */
public final class TransactionTracker {

    private enum State { OUTSIDE, AFTER_GTID, STANDALONE, IN_TRANSACTION }

    private long started;
    private State state = State.OUTSIDE;
    private final GtidCollector gtids = new GtidCollector();

    /** Feeds one event; reads the body only of the few event types that decide a boundary. */
    public void accept(BinlogReader reader) throws java.io.IOException {
        accept(reader.header(), () -> reader.body());
    }

    /** Supplies an event body on demand. */
    @FunctionalInterface
    public interface Body {
        byte[] get() throws java.io.IOException;
    }

    public void accept(EventHeader header, Body body) throws java.io.IOException {
        int type = header.type();
        if (EventType.isGtid(type)) {
            started++;
            byte[] b = body.get();
            GtidEvents.gtidOf(header, b).ifPresent(gtids::add);
            if (type == EventType.MARIADB_GTID) {
                // MariaDB folds BEGIN into its GTID event; FL_STANDALONE marks a group of one statement (DDL)
                state = GtidEvents.mariadbStandalone(b) ? State.STANDALONE : State.IN_TRANSACTION;
            } else {
                state = State.AFTER_GTID;
            }
            return;
        }
        switch (type) {
            case EventType.XID, EventType.XA_PREPARE, EventType.TRANSACTION_PAYLOAD -> state = State.OUTSIDE;
            case EventType.QUERY -> query(queryText(body.get()));
            default -> {
                // INTVAR, USER_VAR, TABLE_MAP, rows …: inside whatever group is open
            }
        }
    }

    private void query(String sql) {
        String s = sql.strip();
        boolean begin = s.equalsIgnoreCase("BEGIN") || s.toUpperCase().startsWith("XA START");
        boolean end = s.equalsIgnoreCase("COMMIT") || s.equalsIgnoreCase("ROLLBACK");
        switch (state) {
            case OUTSIDE -> {
                started++;
                state = begin ? State.IN_TRANSACTION : State.OUTSIDE;
            }
            case AFTER_GTID -> state = begin ? State.IN_TRANSACTION : State.OUTSIDE;
            case STANDALONE -> state = State.OUTSIDE;
            case IN_TRANSACTION -> state = end ? State.OUTSIDE : State.IN_TRANSACTION;
        }
    }

    /** QUERY body: thread id 4, exec time 4, db length 1, error code 2, status vars length 2, status vars, db, NUL, SQL. */
    static String queryText(byte[] body) {
        if (body.length < 13) {
            return "";
        }
        int dbLength = Bytes.u8(body, 8);
        int statusLength = Bytes.u16(body, 11);
        int at = 13 + statusLength + dbLength + 1;
        if (at > body.length) {
            return "";
        }
        return new String(body, at, body.length - at, StandardCharsets.UTF_8);
    }

    /** Forgets an unfinished group: back between groups, with {@code transactions} groups started. */
    public void resetToBoundary(long transactions) {
        started = transactions;
        state = State.OUTSIDE;
    }

    /** Groups that started, complete or not. */
    public long transactions() {
        return started;
    }

    /** True when the stream so far ends between groups. */
    public boolean atBoundary() {
        return state == State.OUTSIDE;
    }

    public GtidCollector gtids() {
        return gtids;
    }
}
