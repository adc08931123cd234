package io.mhaserverless.core.switchover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the write block has changed so far, newest first, each with the action that puts it back.
 * Until the new master takes writes (the point of no return) any failure undoes all of it, so the
 * old master serves again exactly as before; sessions that were ended stay ended (their clients
 * reconnect, and their transactions could not have committed under read_only anyway). The writer
 * address moves on a thread of its own, so changes are registered from two threads.
 */
final class Rollback {

    /** One change's undo; it may fail, which the rollback reports rather than hides. */
    interface Undo {
        void run() throws Exception;
    }

    private record Entry(String what, Undo undo) {
    }

    private final Deque<Entry> done = new ArrayDeque<>();

    /** Registers a change just made: {@code what} says how it is undone, for the report. */
    synchronized void changed(String what, Undo undo) {
        done.push(new Entry(what, undo));
    }

    synchronized boolean isEmpty() {
        return done.isEmpty();
    }

    /** Undoes everything, newest first, going on past a failing step; says what was undone and what could not be. */
    synchronized Result run() {
        List<String> undone = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        while (!done.isEmpty()) {
            Entry e = done.pop();
            try {
                e.undo().run();
                undone.add(e.what());
            } catch (Exception ex) {
                failed.add(e.what() + " FAILED: " + ex.getMessage());
            }
        }
        return new Result(undone, failed);
    }

    record Result(List<String> undone, List<String> failed) {
        boolean complete() {
            return failed.isEmpty();
        }

        /** The same result with one more thing that could not be undone. */
        Result with(String failure) {
            List<String> more = new ArrayList<>(failed);
            more.add(failure);
            return new Result(undone, more);
        }

        String describe() {
            List<String> all = new ArrayList<>(undone);
            all.addAll(failed);
            return all.isEmpty() ? "nothing had been changed" : String.join("; ", all);
        }
    }
}
