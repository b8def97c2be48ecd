package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.universe.UniverseRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a socket ends: a clean close (1000 from the client) is leaving for good;
 * anything else keeps the player for the resume grace period.
 */
@Singleton
final class ConnectionLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final UniverseRegistry registry;
    private final ConnectionIndex connections;
    private final RelayMetrics metrics;
    private final ReplaySessions replays;

    ConnectionLifecycle(UniverseRegistry registry, ConnectionIndex connections, RelayMetrics metrics, ReplaySessions replays) {
        this.replays = replays;
        this.registry = registry;
        this.connections = connections;
        this.metrics = metrics;
    }

    void closed(Connection connection) {
        connections.remove(connection);
        int code = connection.clientCloseCode >= 0 ? connection.clientCloseCode : connection.outbox.closeCode();
        metrics.closed(code);
        if (connection.replay != null) {
            replays.closed(connection.replay);
        }
        if (connection.player != null) {
            boolean forGood = connection.clientCloseCode == CloseCodes.NORMAL;
            registry.disconnect(connection.universe, connection.player, connection, forGood);
            // DEBUG: a churn of connections must not become a churn of log lines (operations.md, Logs)
            LOG.debug("disconnected universe={} player={} close={} outcome={}", connection.universe.name(),
                    connection.player.number(), code, forGood ? "left" : "resume-grace");
        }
    }
}
