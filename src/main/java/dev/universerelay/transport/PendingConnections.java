package dev.universerelay.transport;

import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The accepted TCP connections of this node that have not upgraded to relay connections yet, by
 * TCP peer address: what the pending cap admits at accept, and what the per-address cap adds to
 * the relay connections of an address. A connection is <em>handshaking</em> until it has been
 * answered a plain HTTP request; only handshaking ones count against the per-address cap, so that
 * the page a browser loaded over keep-alive connections does not use up its player's slots.
 */
@Singleton
final class PendingConnections {
    /** Counts of one address; changed only inside the map's {@code compute}, read anywhere. */
    private static final class Counts {
        volatile int pending;
        volatile int handshaking;
    }

    private final ConcurrentHashMap<String, Counts> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /**
     * Counts a new connection unless {@code address} already has {@code max} pending ones.
     *
     * @return the address's pending connections before this one, or -1 when it was refused
     */
    int admit(String address, int max) {
        int[] before = {-1};
        byAddress.compute(address, (a, counts) -> {
            Counts c = counts == null ? new Counts() : counts;
            if (c.pending < max) {
                before[0] = c.pending;
                c.pending++;
                c.handshaking++;
            }
            return c.pending == 0 ? null : c;
        });
        if (before[0] >= 0) {
            total.incrementAndGet();
        }
        return before[0];
    }

    /** The connection was answered a plain HTTP request: it is no longer handshaking. */
    void answered(String address) {
        byAddress.computeIfPresent(address, (a, c) -> {
            c.handshaking = Math.max(0, c.handshaking - 1);
            return c;
        });
    }

    /** The connection upgraded or closed. */
    void release(String address, boolean handshaking) {
        byAddress.computeIfPresent(address, (a, c) -> {
            c.pending--;
            if (handshaking) {
                c.handshaking = Math.max(0, c.handshaking - 1);
            }
            return c.pending <= 0 ? null : c;
        });
        total.decrementAndGet();
    }

    int handshaking(String address) {
        Counts c = byAddress.get(address);
        return c == null ? 0 : c.handshaking;
    }

    int pending(String address) {
        Counts c = byAddress.get(address);
        return c == null ? 0 : c.pending;
    }

    /** Every pending connection of this node. */
    int total() {
        return total.get();
    }
}
