package io.mhaserverless.core.mysql;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a replica keeps its relay logs and whether it purges them itself: what the node agent's
 * purge-relay-logs reads before it purges them for a replica that keeps them (relay_log_purge OFF).
 *
 * @param index    {@code @@relay_log_index}; may be empty
 * @param basename {@code @@relay_log_basename}; may be empty
 */
public record RelayLogSettings(boolean purgeOn, String index, String basename, String datadir) {

    /** The index file: relay_log_index, else relay_log_basename + ".index"; a relative name lies in the datadir. */
    public Optional<Path> indexFile() {
        String name = !index.isBlank() ? index : !basename.isBlank() ? basename + ".index" : "";
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(name);
        return Optional.of(p.isAbsolute() || datadir.isBlank() ? p : Path.of(datadir).resolve(p).normalize());
    }
}
