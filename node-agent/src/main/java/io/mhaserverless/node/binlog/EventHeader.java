package io.mhaserverless.node.binlog;

/**
 * The 19-byte v4 event header. {@code nextPosition} is the writer's coordinate of the next event:
 * in a binlog the file offset after this event, in a relay log the <em>source's</em> coordinate
 * (0 for events the replica or the source's dump thread made up).
 */
public record EventHeader(long timestamp, int type, long serverId, long length, long nextPosition, int flags) {

    public static final int LENGTH = 19;
    /** LOG_EVENT_BINLOG_IN_USE_F: set in the format description of a binlog that is open (or was when its writer died). */
    public static final int FLAG_BINLOG_IN_USE = 0x1;
    /** LOG_EVENT_ARTIFICIAL_F: made up by the server (the fake rotate at the head of a relay log). */
    public static final int FLAG_ARTIFICIAL = 0x20;
    /** LOG_EVENT_RELAY_LOG_F: written by a replica into its relay log. */
    public static final int FLAG_RELAY_LOG = 0x40;

    static EventHeader parse(byte[] b, int at) {
        return new EventHeader(Bytes.u32(b, at), Bytes.u8(b, at + 4), Bytes.u32(b, at + 5), Bytes.u32(b, at + 9),
                Bytes.u32(b, at + 13), Bytes.u16(b, at + 17));
    }

    public String typeName() {
        return EventType.name(type);
    }
}
