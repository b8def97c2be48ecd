package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-key token buckets with a bounded memory. */
class KeyedRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void eachKeyHasItsOwnBurstAndRefillAndSaysHowLongToWait() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(2, 3, 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryTake("a")).isZero();
        }
        assertThat(limiter.tryTake("a")).isEqualTo(500_000_000L);
        assertThat(limiter.tryTake("b")).isZero();
        now.addAndGet(500_000_000L);
        assertThat(limiter.tryTake("a")).isZero();
        assertThat(limiter.tryTake("a")).isPositive();
    }

    @Test
    void idleKeysAreForgottenFirstAndAFloodOfKeysStaysBounded() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(1, 2, 100, now::get);
        limiter.tryTake("busy");
        limiter.tryTake("busy");
        for (int i = 0; i < 99; i++) {
            limiter.tryTake("idle-" + i);
        }
        now.addAndGet(5_000_000_000L); // every bucket is full again, but "busy" is used right now
        limiter.tryTake("busy");
        limiter.tryTake("busy");
        limiter.tryTake("new"); // at the cap: the idle ones go, busy's empty bucket stays
        assertThat(limiter.trackedKeys()).isEqualTo(2);
        assertThat(limiter.tryTake("busy")).isPositive();
        for (int i = 0; i < 100_000; i++) {
            limiter.tryTake("flood-" + i);
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(100);
    }
}
