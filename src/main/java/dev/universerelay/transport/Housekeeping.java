package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import jakarta.inject.Singleton;

/**
 * Periodic work: pings every connection, closes the silent ones with 1001 and those whose token
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

    Housekeeping(ConnectionIndex connections, UniverseRegistry registry, SessionConfiguration session,
                 InterestConfiguration interest, RelayMetrics metrics) {
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
                connection.channel.writeAndFlush(new PingWebSocketFrame());
            }
        }
    }

    /**
     * Closes connections whose token has expired with 4001, within a second of {@code exp}; one
     * sweep instead of a timer per connection (a timer task costs some 100 bytes per idle socket).
     */
    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void closeExpired() {
        long now = System.currentTimeMillis();
        for (Connection connection : connections.all()) {
            if (now >= connection.expiresAtMillis && !connection.isClosing()) {
                connection.close(CloseCodes.TOKEN_EXPIRED, "token expired");
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
