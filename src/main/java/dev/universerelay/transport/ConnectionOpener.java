package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.JoinResult;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an upgraded socket into a relay connection: reads the token's claims, takes over frame
 * reading from Micronaut, and joins the universe (or refuses with 4003/4004 after the upgrade,
 * so that browsers can show why).
 */
@Singleton
final class ConnectionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOpener.class);

    private final UniverseRegistry registry;
    private final ConnectionIndex connections;
    private final ConnectionLifecycle lifecycle;
    private final ClientFrameHandler frameHandler;
    private final LimitsConfiguration limits;
    private final ProxyTrust proxies;
    private final RelayMetrics metrics;
    private final long flushIntervalMicros;

    ConnectionOpener(UniverseRegistry registry, ConnectionIndex connections, ConnectionLifecycle lifecycle,
                     ClientFrameHandler frameHandler, LimitsConfiguration limits, ProxyTrust proxies,
                     RelayMetrics metrics, @Value("${relay.websocket.flush-interval:0ms}") Duration flushInterval) {
        this.registry = registry;
        this.connections = connections;
        this.lifecycle = lifecycle;
        this.frameHandler = frameHandler;
        this.limits = limits;
        this.proxies = proxies;
        this.metrics = metrics;
        this.flushIntervalMicros = flushInterval.toNanos() / 1000;
    }

    void open(String universeName, WebSocketSession session, HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        if (!(request instanceof NettyHttpRequest<?> nettyRequest) || authentication == null) {
            LOG.error("relay socket opened without a Netty request or an authentication; closing it");
            session.close(CloseReason.INTERNAL_ERROR);
            return;
        }
        ChannelHandlerContext upgradeContext = nettyRequest.getChannelHandlerContext();
        Channel channel = upgradeContext.channel();
        TokenClaims claims = TokenClaims.of(authentication);
        WireFormat wire = WireFormat.ofSubprotocol(session.getSubprotocol().orElse(null));
        long now = System.nanoTime();
        Connection connection = new Connection(channel, wire, proxies.clientAddress(request), limits.maxPendingBytes(),
                flushIntervalMicros,
                new TokenBucket(limits.rate(), limits.burst(), now), new AbuseDetector(limits.abuseRejections(), limits.abuseWindowMillis()), metrics);
        // Micronaut inserts its own WebSocket handler right before the upgrade handler after this
        // method returns, so ours ends up in front of it and sees every frame first.
        channel.pipeline().addBefore(upgradeContext.name(), WebSocketFrameReader.NAME,
                new WebSocketFrameReader(connection, frameHandler, lifecycle, limits.maxFrameBytes(), metrics));
        connections.add(connection);

        if (!claims.allows(universeName)) {
            LOG.info("refused universe={} subject={} reason=not-allowed close=4003", universeName, claims.subject());
            connection.close(CloseCodes.NOT_ALLOWED, "your token does not allow universe " + universeName);
            return;
        }
        UniverseRegistry.Entry entry;
        try {
            entry = registry.join(universeName, new PlayerIdentity(claims.subject(), claims.name(), claims.spectator()),
                    connection);
        } catch (RuntimeException e) { // the other nodes could not be reached (cluster mode)
            LOG.warn("refused universe={} subject={} reason=cluster-unreachable close=1013 ({})", universeName,
                    claims.subject(), e.toString());
            connection.close(CloseCodes.TRY_AGAIN_LATER, "this node cannot reach the other nodes; try again shortly");
            return;
        }
        if (entry.result() instanceof JoinResult.Entered entered) {
            connection.universe = entry.universe();
            connection.player = entered.player();
            scheduleExpiry(connection, claims);
            LOG.info("connected universe={} player={} spectator={} resumed={} wire={} address={}", universeName,
                    entered.player().number(), claims.spectator(), entered.resumed(), wire.subprotocol(), connection.address);
        } else {
            connection.close(CloseCodes.UNIVERSE_FULL, "universe " + universeName + " is full");
        }
    }

    private static void scheduleExpiry(Connection connection, TokenClaims claims) {
        if (claims.expiresAt() == null) {
            return;
        }
        long delay = Math.max(0, claims.expiresAt().toEpochMilli() - System.currentTimeMillis());
        connection.expiry = connection.channel.eventLoop().schedule(
                () -> connection.close(CloseCodes.TOKEN_EXPIRED, "token expired"), delay, TimeUnit.MILLISECONDS);
    }
}
