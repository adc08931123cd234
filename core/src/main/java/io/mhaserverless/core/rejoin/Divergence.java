package io.mhaserverless.core.rejoin;

import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.mysql.Flavor;
import io.mhaserverless.core.mysql.Gtid;
import io.mhaserverless.core.mysql.GtidSet;
import io.mhaserverless.core.mysql.MariaDbGtidSet;
import io.mhaserverless.core.mysql.Row;
import io.mhaserverless.core.mysql.ServerFacts;
import io.mhaserverless.core.mysql.ServerSession;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a returning server holds that the current master lacks: transactions it committed that
 * never reached any survivor. Replicating from the master on top of them would leave it silently
 * different from every other server, so a rejoin names them and refuses.
 */
final class Divergence {

    /** Events read per binlog file: enough to name the extra transactions; more only makes the answer slower. */
    static final int MAX_EVENTS = 10_000;

    private Divergence() {
    }

    /**
     * GTID: what the server executed that the master lacks, compared strictly by origin — per
     * MariaDB domain and server id, per MySQL server uuid — so that the master's own higher sequence
     * numbers in a domain never hide the old master's transactions of the same numbers. What the
     * master applied as a replica (MariaDB's gtid_slave_pos, kept after it was promoted) counts as had.
     */
    static GtidSet extraGtids(ServerFacts server, ServerFacts master) {
        GtidSet extra = server.executedGtids().subtractFromOrigin(master.executedGtids());
        return master.replicaGtidPosition().map(extra::subtractFromOrigin).orElse(extra);
    }

    /** The extra set as a range an operator can look up, e.g. {@code 0-1-101..0-1-105} (MariaDB keeps only the last per server). */
    static String describe(GtidSet extra, ServerFacts master) {
        if (!(extra instanceof MariaDbGtidSet m)) {
            return extra.toString();
        }
        List<String> parts = new ArrayList<>();
        for (Gtid.MariaDb g : m.gtids()) {
            Optional<Gtid.MariaDb> had = ((MariaDbGtidSet) master.executedGtids()).gtids().stream()
                    .filter(x -> x.domain() == g.domain() && x.server() == g.server()).findFirst();
            parts.add(had.map(h -> h.sequence() + 1 == g.sequence() ? g.toString()
                            : new Gtid.MariaDb(g.domain(), g.server(), h.sequence() + 1) + ".." + g)
                    .orElse("every GTID of domain " + g.domain() + " from server " + g.server() + " up to " + g));
        }
        return String.join(", ", parts);
    }

    /**
     * File and position: the transactions in the server's binlog after {@code savedUpTo}, as a range
     * {@code file:pos .. file:pos} with their count and GTIDs; empty when there are none (a restart
     * writes a new file's header, never a transaction). A binlog that ends before {@code savedUpTo},
     * or no longer has its file, cannot be compared: that is said too.
     */
    static Optional<String> extraBinlog(ServerSession session, BinlogCoordinates savedUpTo) throws SQLException {
        Flavor flavor = session.flavor();
        List<Row> files = session.queryRows(flavor.showBinaryLogs());
        int first = -1;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).text("Log_name").equals(savedUpTo.file())) {
                first = i;
            }
        }
        if (first < 0) {
            return Optional.of("its binlog no longer has " + savedUpTo.file() + " (purged or reset), so what it holds after "
                    + savedUpTo + " cannot be told");
        }
        long size = files.get(first).number("File_size", -1);
        if (size >= 0 && size < savedUpTo.position()) {
            return Optional.of("its binlog " + savedUpTo.file() + " ends at " + size + ", before " + savedUpTo
                    + " where the new master took its transactions over: it lacks some of its own (lost in the crash?)");
        }
        BinlogCoordinates start = null;
        BinlogCoordinates end = null;
        int transactions = 0;
        List<String> gtids = new ArrayList<>();
        boolean cut = false;
        for (int i = first; i < files.size(); i++) {
            String file = files.get(i).text("Log_name");
            BinlogCoordinates from = i == first ? savedUpTo : new BinlogCoordinates(file, 4);
            List<Row> events = session.queryRows(flavor.binlogEvents(from, MAX_EVENTS).text());
            cut |= events.size() >= MAX_EVENTS;
            for (Row e : events) {
                String type = e.text("Event_type");
                if (!flavor.transactionEvent(type)) {
                    continue;
                }
                if (start == null) {
                    start = new BinlogCoordinates(file, e.number("Pos", 0));
                }
                end = new BinlogCoordinates(file, e.number("End_log_pos", 0));
                if (Flavor.TRANSACTION_START.contains(type)) {
                    transactions++;
                    gtid(e.text("Info")).ifPresent(gtids::add);
                }
            }
        }
        if (start == null) {
            return Optional.empty();
        }
        String named = gtids.isEmpty() ? "" : gtids.size() == 1 ? ", GTID " + gtids.get(0)
                : ", GTIDs " + gtids.get(0) + " .. " + gtids.get(gtids.size() - 1);
        return Optional.of("binlog " + start + " .. " + end + " (" + (cut ? "at least " : "") + transactions + " transaction"
                + (transactions == 1 ? "" : "s") + named + ") after " + savedUpTo + ", where the new master took its transactions over");
    }

    /** The GTID an event's Info names: MariaDB {@code BEGIN GTID 0-1-5}, MySQL {@code SET @@SESSION.GTID_NEXT= 'uuid:5'}. */
    private static Optional<String> gtid(String info) {
        java.util.regex.Matcher mariaDb = java.util.regex.Pattern.compile("GTID (\\d+-\\d+-\\d+)").matcher(info);
        if (mariaDb.find()) {
            return Optional.of(mariaDb.group(1));
        }
        java.util.regex.Matcher mySql = java.util.regex.Pattern.compile("GTID_NEXT\\s*=\\s*'([^']+)'").matcher(info);
        return mySql.find() && !mySql.group(1).equals("ANONYMOUS") ? Optional.of(mySql.group(1)) : Optional.empty();
    }
}
