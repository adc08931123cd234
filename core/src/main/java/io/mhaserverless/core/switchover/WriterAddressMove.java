package io.mhaserverless.core.switchover;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.failover.FailoverException;
import io.mhaserverless.core.port.WriterIp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The writer address leaves the old master and goes to the new one while the new master catches
 * up, once the old master is read-only: on AWS each half is EC2 calls and an SSM command (hundreds
 * of milliseconds at least), which would otherwise add to the write block. Clients that reach the
 * new master early find it read-only until it takes writes. Each half that completes is registered
 * with the {@link Rollback}.
 */
final class WriterAddressMove {

    private final CompletableFuture<Void> done;

    private WriterAddressMove(CompletableFuture<Void> done) {
        this.done = done;
    }

    static WriterAddressMove start(WriterIp writerIp, ServerConfig oldMaster, ServerConfig newMaster, Rollback rollback) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                // the old master lives on as a replica: its host must not keep answering for the address
                writerIp.release(oldMaster);
                writerIp.clearOldHost(oldMaster);
                rollback.changed("the writer address back on " + oldMaster.name(), () -> writerIp.assign(oldMaster));
                writerIp.assign(newMaster);
                rollback.changed("the writer address off " + newMaster.name(), () -> {
                    writerIp.release(newMaster);
                    writerIp.clearOldHost(newMaster);
                });
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "switchover-writer-address");
        t.setDaemon(true);
        t.start();
        return new WriterAddressMove(done);
    }

    /** Waits for the move; its failure, or not finishing within {@code limit}, stops the switch. */
    void await(Duration limit) {
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FailoverException("the writer address did not move within " + limit.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailoverException("interrupted while the writer address moved", e);
        }
    }

    /**
     * Before a rollback: lets a move under way finish (bounded), so that what it did is registered
     * and undone, never left half-done behind the rollback's back. False when it is still running:
     * the rollback is then incomplete, and says so.
     */
    boolean settle(Duration limit) {
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | CompletionException e) {
            return true; // its failure is already the reason for the rollback; what it did is registered
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new FailoverException(String.valueOf(cause.getMessage()), cause);
    }
}
