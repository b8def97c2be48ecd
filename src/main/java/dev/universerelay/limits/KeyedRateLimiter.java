package dev.universerelay.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a client address or a token's {@code sub}), for limits that hold across
 * connections: handshakes, logins, takeovers, universe creations. Memory is bounded: at most
 * {@code maxKeys} buckets are kept; when a new key would pass that, the buckets that are full again
 * (whose keys have been idle long enough that forgetting them changes nothing) are dropped, and if
 * that frees too little, all are. A flood of fresh addresses thus costs at most {@code maxKeys}
 * small entries, and at worst hands each address a fresh burst, never unbounded growth.
 * Thread-safe.
 */
public final class KeyedRateLimiter {
    private final double ratePerSecond;
    private final int burst;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public KeyedRateLimiter(double ratePerSecond, int burst, int maxKeys) {
        this(ratePerSecond, burst, maxKeys, System::nanoTime);
    }

    KeyedRateLimiter(double ratePerSecond, int burst, int maxKeys, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
    }

    /** Takes one token of {@code key}'s bucket; returns 0 when it had one, else the nanoseconds until it will. */
    public long tryTake(String key) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
            evict(now);
        }
        long[] wait = {0};
        buckets.compute(key, (k, bucket) -> {
            TokenBucket b = bucket != null ? bucket : new TokenBucket(ratePerSecond, burst, now);
            if (!b.tryTake(now)) {
                wait[0] = Math.max(1, b.nanosUntilToken(now));
            }
            return b;
        });
        return wait[0];
    }

    /** Whether {@code key} has a token now, without taking it. */
    public boolean hasToken(String key) {
        long now = nanoClock.getAsLong();
        long[] wait = {0};
        buckets.computeIfPresent(key, (k, b) -> {
            wait[0] = b.nanosUntilToken(now);
            return b;
        });
        return wait[0] == 0;
    }

    private synchronized void evict(long now) {
        if (buckets.size() < maxKeys) {
            return; // another thread made room meanwhile
        }
        buckets.entrySet().removeIf(e -> e.getValue().isFullAt(now));
        if (buckets.size() > maxKeys * 3L / 4) {
            buckets.clear(); // too few idle ones: sweeping again at the next key would cost the whole map each time
        }
    }

    /** Keys remembered now (for tests and the gauge). */
    public int trackedKeys() {
        return buckets.size();
    }
}
