package dev.universerelay.limits;

/**
 * Counts rejected messages in a sliding window and says when a connection has crossed the line
 * from a buggy client to an abusive one (the contract's default: 100 rejections in 10 s).
 * A ring of the last rejections' times keeps memory fixed whatever the client sends; it is
 * allocated on the first rejection, since most connections never have one. Not thread-safe.
 */
public final class AbuseDetector {
    private final long windowNanos;
    private final int maxRejections;
    private long[] times;
    private int next;
    private int count;

    public AbuseDetector(int maxRejections, long windowMillis) {
        this.windowNanos = windowMillis * 1_000_000L;
        this.maxRejections = Math.max(1, maxRejections);
    }

    /** Records a rejection; returns true when the last {@code maxRejections} all fall inside the window. */
    public boolean reject(long nowNanos) {
        if (times == null) {
            times = new long[maxRejections];
        }
        times[next] = nowNanos;
        next = (next + 1) % maxRejections;
        if (count < maxRejections) {
            count++;
        }
        return count == maxRejections && nowNanos - times[next] < windowNanos;
    }
}
