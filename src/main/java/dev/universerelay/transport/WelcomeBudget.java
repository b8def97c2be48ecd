package dev.universerelay.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide allowance of {@code welcome} bytes in flight (queued in an outbox, or handed to
 * Netty and not yet taken by the socket). A welcome's size follows from its universe, not from
 * its reader, so it is not held to a connection's pending-bytes cap; without this budget, clients
 * that connect again and again and never read would each pin a whole universe snapshot
 * ({@code relay.websocket.welcome-budget-bytes}).
 */
@jakarta.inject.Singleton
final class WelcomeBudget {
    /** No bound, for outboxes made in unit tests. */
    static final WelcomeBudget UNLIMITED = new WelcomeBudget(Long.MAX_VALUE);

    private final long maxBytes;
    private final AtomicLong inFlight = new AtomicLong();

    @jakarta.inject.Inject
    WelcomeBudget(WebSocketConfiguration websocket, dev.universerelay.metrics.RelayMetrics metrics) {
        this(websocket.welcomeBudgetBytes());
        metrics.gauge("relay.welcome.bytes.in.flight",
                "welcome bytes queued or in Netty's buffers, not yet taken by the socket (relay.websocket.welcome-budget-bytes)",
                inFlight::get);
    }

    WelcomeBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when that would pass it. */
    boolean tryTake(int bytes) {
        while (true) {
            long current = inFlight.get();
            if (current + bytes > maxBytes) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void giveBack(int bytes) {
        inFlight.addAndGet(-bytes);
    }

    /** Welcome bytes held on this node right now. */
    long inFlight() {
        return inFlight.get();
    }
}
