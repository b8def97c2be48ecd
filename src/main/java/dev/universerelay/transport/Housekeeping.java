package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Periodic work: pings every connection (through its outbox, and only while its channel is
 * writable: a client that does not read gets no more pings queued), closes the silent ones with 1001 and those whose token
 * expired with 4001, ends resume grace periods that are over, and runs the interest management
 * tick. Timers are coarse on purpose: one sweep serves every connection.
 */
@Singleton
final class Housekeeping {
    private final ConnectionIndex connections;
    private final UniverseRegistry registry;
    private final long idleTimeoutNanos;
    private final boolean interestUsed;
    private final RelayMetrics metrics;
    private final long welcomeTimeoutNanos;

    Housekeeping(ConnectionIndex connections, UniverseRegistry registry, SessionConfiguration session,
                 InterestConfiguration interest, RelayMetrics metrics, WebSocketConfiguration websocket) {
        this.welcomeTimeoutNanos = websocket.welcomeTimeout().toNanos();
        this.connections = connections;
        this.registry = registry;
        this.idleTimeoutNanos = session.idleTimeout().toNanos();
        this.interestUsed = interest.isUsed();
        this.metrics = metrics;
    }

    @Scheduled(fixedDelay = "${relay.session.ping-interval:10s}", initialDelay = "${relay.session.ping-interval:10s}")
    void pingAndDropIdle() {
        long now = System.nanoTime();
        for (Connection connection : connections.all()) {
            if (now - connection.lastSeenNanos > idleTimeoutNanos) {
                connection.closeNow(CloseCodes.GOING_AWAY, "idle timeout");
            } else if (connection.channel.isActive()) {
                connection.outbox.ping();
            }
        }
    }

    /**
     * Closes connections whose token has expired with 4001, within a second of {@code exp}, and
     * those whose welcome their socket has not taken within {@code relay.websocket.welcome-timeout}
     * with 1013; one sweep instead of a timer per connection (a timer task costs some 100 bytes
     * per idle socket).
     */
    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void closeExpired() {
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (Connection connection : connections.all()) {
            if (connection.isClosing()) {
                continue;
            }
            if (now >= connection.expiresAtMillis) {
                connection.close(CloseCodes.TOKEN_EXPIRED, "token expired");
            } else if (connection.outbox.welcomeStuck(nowNanos, welcomeTimeoutNanos)) {
                connection.refuseNow(dev.universerelay.limits.RefusalReason.SLOW_READER, CloseCodes.TRY_AGAIN_LATER,
                        "too slow: welcome not read in time");
            }
        }
    }

    @Scheduled(fixedDelay = "250ms")
    void expireGrace() {
        registry.expireGrace();
    }

    /** Shows and hides entities as they move in and out of players' views (docs/protocol.md section 13). */
    @Scheduled(fixedDelay = "${relay.interest.tick:100ms}")
    void sweepInterest() {
        if (interestUsed) {
            long start = System.nanoTime();
            registry.sweepInterest();
            metrics.interestSwept(System.nanoTime() - start);
        }
    }
}
