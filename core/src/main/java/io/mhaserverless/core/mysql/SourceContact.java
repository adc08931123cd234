package io.mhaserverless.core.mysql;

import java.time.Duration;

/**
 * What a replica has heard from its source: the heartbeats it received and how far it has read.
 * Two readings that differ prove the source spoke in between; two that are equal across more than
 * a heartbeat period prove it was silent, though the IO thread may still say "Yes" (a hung source
 * keeps the connection open until {@code slave_net_timeout}).
 *
 * @param received        the source position (and GTIDs) read so far, as one comparable text
 * @param heartbeatPeriod the period the source was asked to send heartbeats at when idle
 */
public record SourceContact(long heartbeats, String received, Duration heartbeatPeriod) {

    public boolean heardSince(SourceContact earlier) {
        return heartbeats != earlier.heartbeats || !received.equals(earlier.received);
    }
}
