package io.mhaserverless.core.mysql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    public record Gtid(long domain, long server, long sequence) {
        @Override
        public String toString() {
            // all three are unsigned in MariaDB: a sequence number may use the 64th bit
            return Long.toUnsignedString(domain) + "-" + Long.toUnsignedString(server) + "-" + Long.toUnsignedString(sequence);
        }
    }

    private static final Comparator<Gtid> ORDER = Comparator.comparingLong(Gtid::domain).thenComparingLong(Gtid::server);

    private final List<Gtid> gtids;

    private MariaDbGtidSet(List<Gtid> gtids) {
        this.gtids = gtids.stream().sorted(ORDER).toList();
    }

    public static MariaDbGtidSet empty() {
        return new MariaDbGtidSet(List.of());
    }

    public static MariaDbGtidSet parse(String text) {
        Map<String, Gtid> byDomainServer = new TreeMap<>();
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
                    Gtid g = new Gtid(Long.parseUnsignedLong(n[0]), Long.parseUnsignedLong(n[1]), Long.parseUnsignedLong(n[2]));
                    byDomainServer.merge(g.domain + "-" + g.server, g, MariaDbGtidSet::later);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a MariaDB GTID list: '" + text + "' (bad GTID '" + part + "')");
                }
            }
        }
        return new MariaDbGtidSet(new ArrayList<>(byDomainServer.values()));
    }

    public List<Gtid> gtids() {
        return gtids;
    }

    /** One GTID per domain, the highest: what MASTER_GTID_WAIT and gtid_slave_pos accept. */
    public MariaDbGtidSet position() {
        Map<Long, Gtid> last = new TreeMap<>();
        for (Gtid g : gtids) {
            last.merge(g.domain, g, MariaDbGtidSet::later);
        }
        return new MariaDbGtidSet(new ArrayList<>(last.values()));
    }

    @Override
    public boolean isEmpty() {
        return gtids.isEmpty();
    }

    @Override
    public boolean contains(GtidSet other) {
        return other.subtract(this).isEmpty();
    }

    @Override
    public MariaDbGtidSet subtract(GtidSet other) {
        if (!(other instanceof MariaDbGtidSet o)) {
            throw new IllegalArgumentException("cannot compare a MariaDB GTID list with " + other.getClass().getSimpleName());
        }
        return new MariaDbGtidSet(gtids.stream().filter(g -> !o.covers(g)).toList());
    }

    private boolean covers(Gtid g) {
        Gtid sameServer = gtids.stream().filter(x -> x.domain == g.domain && x.server == g.server).findFirst().orElse(null);
        if (sameServer != null) {
            return Long.compareUnsigned(sameServer.sequence, g.sequence) >= 0;
        }
        // strictly higher: the same sequence number from another server is a different transaction
        return gtids.stream().anyMatch(x -> x.domain == g.domain && Long.compareUnsigned(x.sequence, g.sequence) > 0);
    }

    private static Gtid later(Gtid a, Gtid b) {
        return Long.compareUnsigned(a.sequence, b.sequence) >= 0 ? a : b;
    }

    @Override
    public MariaDbGtidSet originatedBy(String origin) {
        long serverId = Long.parseLong(origin.trim());
        return new MariaDbGtidSet(gtids.stream().filter(g -> g.server == serverId).toList());
    }

    /** The highest sequence number in {@code domain}, or 0. */
    public long lastSequence(long domain) {
        return gtids.stream().filter(g -> g.domain == domain).map(Gtid::sequence).reduce(0L,
                (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    @Override
    public String toString() {
        return gtids.stream().map(Gtid::toString).collect(Collectors.joining(","));
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
