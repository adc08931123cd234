package io.mhaserverless.cli;

/** The exit codes every command shares (MHA's: 0 success, 10 partial, 1 error; 2 for bad input). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
