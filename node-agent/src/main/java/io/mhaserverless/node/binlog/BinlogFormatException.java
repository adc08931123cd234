package io.mhaserverless.node.binlog;

import java.io.IOException;

/** A file that is not a binlog, or whose bytes break the event framing; the message names the file and offset. */
public final class BinlogFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public BinlogFormatException(String message) {
        super(message);
    }
}
