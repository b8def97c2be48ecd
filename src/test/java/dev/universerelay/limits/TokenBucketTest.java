package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-connection message budget: {@code rate} per second up to {@code burst} (protocol section 6). */
class TokenBucketTest {
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 123_456_789_000L;

    @Test
    void aFreshBucketAllowsExactlyTheBurst() {
        TokenBucket bucket = new TokenBucket(30, 60, T0);
        assertThat(takeAll(bucket, T0)).isEqualTo(60);
        assertThat(bucket.tryTake(T0)).isFalse();
    }

    @ParameterizedTest(name = "rate {0}/s, burst {1}")
    @CsvSource({"30, 60", "10, 20", "1, 1", "3, 5", "7, 100", "100, 200", "0.5, 3", "1000, 5000"})
    void anEmptyBucketRefillsAtTheRate(double rate, int burst) {
        TokenBucket bucket = new TokenBucket(rate, burst, T0);
        takeAll(bucket, T0);
        // Over one second (two for rates below one), exactly rate tokens come back, capped at the burst.
        long seconds = rate < 1 ? 2 : 1;
        long expected = Math.min(burst, (long) Math.floor(rate * seconds));
        assertThat(takeAll(bucket, T0 + seconds * SECOND)).isEqualTo(expected);
    }

    @Test
    void oneTokenComesBackAfterOneIntervalAndNotBefore() {
        TokenBucket bucket = new TokenBucket(30, 60, T0);
        takeAll(bucket, T0);
        long interval = SECOND / 30; // 33_333_333 ns, a hair short of 1/30 s
        assertThat(bucket.tryTake(T0 + interval - 1_000)).isFalse();
        assertThat(bucket.tryTake(T0 + interval + 1)).isTrue();
        assertThat(bucket.tryTake(T0 + interval + 1)).isFalse();
    }

    @Test
    void aSteadyClientAtTheRateIsNeverRefused() {
        TokenBucket bucket = new TokenBucket(30, 60, T0);
        takeAll(bucket, T0);
        long now = T0;
        for (int i = 1; i <= 30 * 60; i++) { // one minute at 30/s, each message a microsecond after its token
            now = T0 + i * SECOND / 30 + 1_000;
            assertThat(bucket.tryTake(now)).as("message %d", i).isTrue();
        }
    }

    @Test
    void fractionsOfATokenAccumulate() {
        TokenBucket bucket = new TokenBucket(10, 10, T0);
        takeAll(bucket, T0);
        assertThat(bucket.tryTake(T0 + SECOND / 20)).isFalse(); // half a token
        assertThat(bucket.tryTake(T0 + SECOND / 10)).isTrue(); // the other half
        assertThat(bucket.tryTake(T0 + SECOND / 10)).isFalse();
    }

    @Test
    void aFailedTakeCostsNothing() {
        TokenBucket bucket = new TokenBucket(10, 10, T0);
        takeAll(bucket, T0);
        for (int i = 0; i < 1000; i++) {
            assertThat(bucket.tryTake(T0)).isFalse();
        }
        assertThat(takeAll(bucket, T0 + SECOND)).isEqualTo(10);
    }

    @Test
    void aLongIdleNeverFillsBeyondTheBurst() {
        TokenBucket bucket = new TokenBucket(30, 60, T0);
        takeAll(bucket, T0);
        assertThat(takeAll(bucket, T0 + 3_600 * SECOND)).isEqualTo(60);
        assertThat(takeAll(bucket, T0 + 365L * 24 * 3_600 * SECOND)).isEqualTo(60);
    }

    @Test
    void aClockGoingBackwardsAddsNothingAndBreaksNothing() {
        TokenBucket bucket = new TokenBucket(30, 60, T0);
        takeAll(bucket, T0);
        assertThat(bucket.tryTake(T0 - 10 * SECOND)).isFalse();
        assertThat(takeAll(bucket, T0 + SECOND)).isEqualTo(30);
    }

    @Test
    void negativeNanoTimesWork() {
        long start = -5 * SECOND; // System.nanoTime() may be negative
        TokenBucket bucket = new TokenBucket(30, 60, start);
        assertThat(takeAll(bucket, start)).isEqualTo(60);
        assertThat(takeAll(bucket, start + SECOND)).isEqualTo(30);
    }

    private static int takeAll(TokenBucket bucket, long now) {
        int taken = 0;
        while (bucket.tryTake(now)) {
            taken++;
            if (taken > 1_000_000) {
                throw new AssertionError("bucket never runs dry");
            }
        }
        return taken;
    }
}
