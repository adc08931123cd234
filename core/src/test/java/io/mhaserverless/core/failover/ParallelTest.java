package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void bothAreAskedAtOnce() {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);

        // each answers only once the other has started: asked one after the other, neither would
        Parallel.Both<String, Integer> both = Parallel.both(() -> {
            firstStarted.countDown();
            return await(secondStarted) ? "first" : "alone";
        }, () -> {
            secondStarted.countDown();
            return await(firstStarted) ? 2 : -1;
        });

        assertThat(both).isEqualTo(new Parallel.Both<>("first", 2));
    }

    @Test
    void theFirstOnesFailureComesFirst() {
        assertThatThrownBy(() -> Parallel.both(() -> {
            throw new FailoverException("refused by the first");
        }, () -> {
            throw new IllegalStateException("refused by the second");
        })).isInstanceOf(FailoverException.class).hasMessage("refused by the first");
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
