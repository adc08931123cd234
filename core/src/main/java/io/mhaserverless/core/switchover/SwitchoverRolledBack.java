package io.mhaserverless.core.switchover;

/**
 * The switch failed before the new master took writes, and everything it had changed was put back:
 * the old master takes writes again with the writer address, no replica was repointed. The message
 * says what failed and what was undone. Its class name is the error name the report recognises.
 */
public final class SwitchoverRolledBack extends RuntimeException {

    public SwitchoverRolledBack(String message, Throwable cause) {
        super(message, cause);
    }
}
