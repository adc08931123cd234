package io.mhaserverless.core.failover;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs one action per server at once: failover phases wait for the slowest server, not for the sum. */
final class Parallel {

    private Parallel() {
    }

    static <T, R> List<R> map(List<T> items, Function<T, R> action) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(items.size(), r -> {
            Thread t = new Thread(r, "failover-parallel");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<R>> futures = items.stream().map(i -> CompletableFuture.supplyAsync(() -> action.apply(i), pool)).toList();
            try {
                return futures.stream().map(CompletableFuture::join).toList();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two answers asked at once; the first one's failure is thrown first. */
    record Both<A, B>(A first, B second) {
    }

    static <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
        List<Object> answers = map(List.<Supplier<?>>of(first, second), Supplier::get);
        @SuppressWarnings("unchecked")
        Both<A, B> both = new Both<>((A) answers.get(0), (B) answers.get(1));
        return both;
    }

    static <T> void forEach(List<T> items, Consumer<T> action) {
        map(items, i -> {
            action.accept(i);
            return null;
        });
    }
}
