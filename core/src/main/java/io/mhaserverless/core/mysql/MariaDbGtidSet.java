package io.mhaserverless.core.mysql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MariaDB's GTID notation: a list of {@code domain-server-seq}. A position ({@code @@gtid_slave_pos},
 * {@code @@gtid_binlog_pos}) holds the last GTID per domain; a binlog state ({@code @@gtid_binlog_state})
 * the last per domain and server. Sequence numbers grow per domain, so a GTID is covered by a list that
 * has the same domain and server at an equal or higher sequence, or, where the list never saw that
 * server, a higher sequence in the domain.
 */
public final class MariaDbGtidSet implements GtidSet {

    /**
     * By domain, then server id. Written out rather than Comparator.comparingLong: the node agent's
     * save-binlog loads this class at start, and those lambdas were the only classes of its start
     * path outside its class-data archive (about 15 ms of lambda bootstrap per agent call).
     */
    private static final Comparator<Gtid.MariaDb> ORDER = new Comparator<>() {
        @Override
        public int compare(Gtid.MariaDb a, Gtid.MariaDb b) {
            int byDomain = Long.compare(a.domain(), b.domain());
            return byDomain != 0 ? byDomain : Long.compare(a.server(), b.server());
        }
    };

    private final List<Gtid.MariaDb> gtids;

    private MariaDbGtidSet(List<Gtid.MariaDb> gtids) {
        this.gtids = gtids.stream().sorted(ORDER).toList();
    }

    public static MariaDbGtidSet empty() {
        return new MariaDbGtidSet(List.of());
    }

    /** The last GTID per domain and server of {@code gtids}: a binlog state, as a GTID_LIST event carries it. */
    public static MariaDbGtidSet of(Collection<Gtid.MariaDb> gtids) {
        Map<String, Gtid.MariaDb> byDomainServer = new TreeMap<>();
        gtids.forEach(g -> byDomainServer.merge(g.domain() + "-" + g.server(), g, MariaDbGtidSet::later));
        return new MariaDbGtidSet(new ArrayList<>(byDomainServer.values()));
    }

    public static MariaDbGtidSet parse(String text) {
        List<Gtid.MariaDb> parsed = new ArrayList<>();
        if (text != null) {
            for (String part : text.replaceAll("\\s", "").split(",")) {
                if (part.isEmpty()) {
                    continue;
                }
                String[] n = part.split("-");
                if (n.length != 3) {
                    throw new IllegalArgumentException("not a MariaDB GTID list: '" + text + "' (bad GTID '" + part + "')");
                }
                try {
                    parsed.add(new Gtid.MariaDb(Long.parseUnsignedLong(n[0]), Long.parseUnsignedLong(n[1]), Long.parseUnsignedLong(n[2])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a MariaDB GTID list: '" + text + "' (bad GTID '" + part + "')");
                }
            }
        }
        return of(parsed);
    }

    public List<Gtid.MariaDb> gtids() {
        return gtids;
    }

    /** One GTID per domain, the highest: what MASTER_GTID_WAIT and gtid_slave_pos accept. */
    public MariaDbGtidSet position() {
        Map<Long, Gtid.MariaDb> last = new TreeMap<>();
        for (Gtid.MariaDb g : gtids) {
            last.merge(g.domain(), g, MariaDbGtidSet::later);
        }
        return new MariaDbGtidSet(new ArrayList<>(last.values()));
    }

    @Override
    public boolean isEmpty() {
        return gtids.isEmpty();
    }

    @Override
    public boolean contains(Gtid gtid) {
        return mariaDb(gtid).map(this::covers).orElse(false);
    }

    @Override
    public boolean containsFromOrigin(Gtid gtid) {
        return mariaDb(gtid).flatMap(this::sameServer).isPresent();
    }

    @Override
    public MariaDbGtidSet subtract(GtidSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this; // nothing to take, or nothing taken: in either notation
        }
        if (!(other instanceof MariaDbGtidSet o)) {
            throw new IllegalArgumentException("cannot compare a MariaDB GTID list with " + other.getClass().getSimpleName());
        }
        return new MariaDbGtidSet(gtids.stream().filter(g -> !o.covers(g)).toList());
    }

    @Override
    public MariaDbGtidSet subtractFromOrigin(GtidSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        return new MariaDbGtidSet(gtids.stream().filter(g -> !other.containsFromOrigin(g)).toList());
    }

    /** Empty for a MySQL GTID, which an empty list lacks like any other and a non-empty one cannot be compared with. */
    private Optional<Gtid.MariaDb> mariaDb(Gtid gtid) {
        if (gtid instanceof Gtid.MariaDb m) {
            return Optional.of(m);
        }
        if (isEmpty()) {
            return Optional.empty();
        }
        throw new IllegalArgumentException("a MariaDB GTID list cannot hold the MySQL GTID " + gtid);
    }

    private boolean covers(Gtid.MariaDb g) {
        Optional<Gtid.MariaDb> sameServer = gtids.stream().filter(x -> x.domain() == g.domain() && x.server() == g.server()).findFirst();
        if (sameServer.isPresent()) {
            return Long.compareUnsigned(sameServer.get().sequence(), g.sequence()) >= 0;
        }
        // strictly higher: the same sequence number from another server is a different transaction
        return gtids.stream().anyMatch(x -> x.domain() == g.domain() && Long.compareUnsigned(x.sequence(), g.sequence()) > 0);
    }

    /** The same domain and server at {@code g}'s sequence or later: per domain AND server, never another server's higher number. */
    private Optional<Gtid.MariaDb> sameServer(Gtid.MariaDb g) {
        return gtids.stream().filter(x -> x.domain() == g.domain() && x.server() == g.server()
                && Long.compareUnsigned(x.sequence(), g.sequence()) >= 0).findFirst();
    }

    private static Gtid.MariaDb later(Gtid.MariaDb a, Gtid.MariaDb b) {
        return Long.compareUnsigned(a.sequence(), b.sequence()) >= 0 ? a : b;
    }

    @Override
    public MariaDbGtidSet originatedBy(String origin) {
        long serverId = Long.parseLong(origin.trim());
        return new MariaDbGtidSet(gtids.stream().filter(g -> g.server() == serverId).toList());
    }

    /** The highest sequence number in {@code domain}, or 0. */
    public long lastSequence(long domain) {
        return gtids.stream().filter(g -> g.domain() == domain).map(Gtid.MariaDb::sequence).reduce(0L,
                (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    @Override
    public String toString() {
        return gtids.stream().map(Gtid.MariaDb::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidSet other && gtids.equals(other.gtids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gtids);
    }
}
