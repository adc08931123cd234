package io.mhaserverless.core.mysql;

import java.util.Optional;

/** Where a replica should replicate from, and from which point: what CHANGE MASTER / CHANGE REPLICATION SOURCE says. */
public record SourceChange(String host, int port, String user, String password, Positioning positioning) {

    public sealed interface Positioning permits GtidAutoPosition, FilePosition {
    }

    /** MySQL SOURCE_AUTO_POSITION=1; MariaDB MASTER_USE_GTID=slave_pos. */
    public record GtidAutoPosition() implements Positioning {
    }

    /** Classic file and offset in the new source's binary log. */
    public record FilePosition(BinlogCoordinates start) implements Positioning {
    }

    public Optional<BinlogCoordinates> start() {
        return positioning instanceof FilePosition f ? Optional.of(f.start()) : Optional.empty();
    }

    @Override
    public String toString() {
        return "SourceChange[" + host + ":" + port + ", user=" + user + ", " + positioning + "]";
    }
}
