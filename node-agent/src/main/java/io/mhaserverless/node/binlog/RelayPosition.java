package io.mhaserverless.node.binlog;

import java.nio.file.Path;

/**
 * Where in a relay-log chain the events after a source coordinate start: {@code relayFile} at
 * {@code relayPos}, the offset right after the event that ended at {@code source}.
 *
 * @param fileIndex     index of {@code relayFile} in the relay-log index
 * @param filesScanned  relay files read event by event to find it (the others only had their head read)
 * @param ownServerId   the replica's server id (the relay file's own format description)
 */
public record RelayPosition(int fileIndex, Path relayFile, long relayPos, SourceCoordinate source, int filesScanned,
                            long ownServerId) {
}
