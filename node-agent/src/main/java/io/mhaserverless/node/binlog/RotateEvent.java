package io.mhaserverless.node.binlog;

import java.nio.charset.StandardCharsets;

/** ROTATE: "the events continue in {@code fileName} at {@code position}". */
public record RotateEvent(long position, String fileName) {

    /** Parses a ROTATE body (without header and checksum). */
    public static RotateEvent parse(byte[] body) throws BinlogFormatException {
        if (body.length < 9) {
            throw new BinlogFormatException("rotate event body of " + body.length + " bytes is too short");
        }
        return new RotateEvent(Bytes.u64(body, 0), new String(body, 8, body.length - 8, StandardCharsets.UTF_8));
    }
}
