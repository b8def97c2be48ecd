package dev.universerelay.transport;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * {@code relay.session.*}: how long connections and dropped players live.
 *
 * @param resumeGrace  how long a dropped player keeps its number and entities, default 10s
 * @param pingInterval how often the server sends a WebSocket ping, default 10s
 * @param idleTimeout  silence after which a connection is closed with 1001, default 30s
 * @param maxConnections connections on this node; beyond it 503 before the upgrade, default 20000
 * @param maxConnectionsPerAddress connections from one client address; beyond it 429, default 256
 * @param maxUniverses universes on this node; a handshake that would create one more gets 503, default 10000
 */
@ConfigurationProperties("relay.session")
public record SessionConfiguration(
        @Bindable(defaultValue = "10s") Duration resumeGrace,
        @Bindable(defaultValue = "10s") Duration pingInterval,
        @Bindable(defaultValue = "30s") Duration idleTimeout,
        @Bindable(defaultValue = "20000") @Min(1) int maxConnections,
        @Bindable(defaultValue = "256") @Min(1) int maxConnectionsPerAddress,
        @Bindable(defaultValue = "10000") @Min(1) int maxUniverses) {
}
