package dev.universerelay.transport;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * {@code relay.edge.*}: how long and how many TCP connections may sit at the HTTP edge before they
 * become relay connections. The relay serves its HTTP API, the game's static files and the
 * WebSocket upgrade on one port, so every accepted socket is held to these until it upgrades
 * (docs/operations.md, "Connections and handshakes").
 *
 * @param handshakeTimeout   from accept to the 101 answer of the WebSocket upgrade, or to the end of
 *                           the first plain HTTP request; a connection that is not there by then is
 *                           closed (silent sockets, half-sent headers), default 10s
 * @param httpIdleTimeout    after an answer on a plain HTTP keep-alive connection, the time its next
 *                           request has to arrive whole before it is closed, default 30s
 * @param maxPendingPerAddress connections from one TCP peer address that have not upgraded yet
 *                           (silent, handshaking or HTTP keep-alive); one more is closed at accept.
 *                           Not applied to peers in {@code relay.trusted-proxies}, default 32
 */
@ConfigurationProperties("relay.edge")
public record EdgeConfiguration(
        @Bindable(defaultValue = "10s") Duration handshakeTimeout,
        @Bindable(defaultValue = "30s") Duration httpIdleTimeout,
        @Bindable(defaultValue = "32") @Min(1) int maxPendingPerAddress) {
}
