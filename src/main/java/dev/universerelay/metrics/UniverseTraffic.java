package dev.universerelay.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one universe's connections on this node receive and are sent, for the operator console's
 * per-universe rates. Connections of a universe run on several event loops at once, so these are
 * {@link LongAdder}s: an increment on the hot path, with no lock, no allocation and little
 * contention; the console's sampler sums them once a second.
 */
public final class UniverseTraffic {
    /** Where a connection counts before it has joined a universe (and what nobody reads). */
    public static final UniverseTraffic NONE = new UniverseTraffic();

    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder eventsOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** One client message (spawn, move, destroy, view) taken to the universe. */
    public void eventIn() {
        eventsIn.increment();
    }

    /** One delta event queued for one recipient. */
    public void eventOut() {
        eventsOut.increment();
    }

    public void bytesIn(int bytes) {
        bytesIn.add(bytes);
    }

    public void bytesOut(int bytes) {
        bytesOut.add(bytes);
    }

    /** The totals so far, read without stopping the writers (each sum may be a moment old). */
    public Totals totals() {
        return new Totals(eventsIn.sum(), eventsOut.sum(), bytesIn.sum(), bytesOut.sum());
    }

    /** Totals since the universe's counters were created on this node. */
    public record Totals(long eventsIn, long eventsOut, long bytesIn, long bytesOut) {
    }
}
