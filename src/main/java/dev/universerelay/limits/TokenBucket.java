package dev.universerelay.limits;

/**
 * Per-connection message budget: {@code rate} tokens per second up to {@code burst}. Each
 * message costs one token whether it is applied or refused later, so a flood of bad messages
 * is as limited as a flood of good ones. Not thread-safe: one connection reads on one thread.
 */
public final class TokenBucket {
    private final double ratePerSecond;
    private final double burst;
    private double tokens;
    private long lastRefill;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until the next token, 0 when there is one now (takes nothing). */
    public long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 1_000_000_000d / ratePerSecond);
    }

    /** Whether the bucket would be full at {@code nowNanos}, i.e. forgetting it changes nothing (reads only). */
    public boolean isFullAt(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastRefill);
        return tokens + elapsed * ratePerSecond / 1_000_000_000d >= burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed > 0) {
            // Multiply before dividing: 1e9 * (30 / 1e9) is 29.999999999999996, which lost a token per second.
            tokens = Math.min(burst, tokens + elapsed * ratePerSecond / 1_000_000_000d);
            lastRefill = nowNanos;
        }
    }
}
