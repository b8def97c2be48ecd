package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.metrics.UniverseTrafficTable;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.JoinResult;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;
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
    private final Refusals refusals;
    private final Quotas quotas;
    private final LoopFlushers flushers;
    private final WireFanout fanout;
    private final WebSocketConfiguration websocket;
    private final WelcomeBudget welcomes;
    private final UniverseTrafficTable traffic;
    private final DelayedSpectators delayed;

    ConnectionOpener(DelayedSpectators delayed, UniverseRegistry registry, ConnectionIndex connections, ConnectionLifecycle lifecycle,
                     ClientFrameHandler frameHandler, LimitsConfiguration limits, ProxyTrust proxies,
                     RelayMetrics metrics, Refusals refusals, Quotas quotas,
                     LoopFlushers flushers, WireFanout fanout,
                     WebSocketConfiguration websocket, WelcomeBudget welcomes, UniverseTrafficTable traffic) {
        this.traffic = traffic;
        this.delayed = delayed;
        this.refusals = refusals;
        this.quotas = quotas;
        this.websocket = websocket;
        this.welcomes = welcomes;
        this.registry = registry;
        this.connections = connections;
        this.lifecycle = lifecycle;
        this.frameHandler = frameHandler;
        this.limits = limits;
        this.proxies = proxies;
        this.metrics = metrics;
        this.flushers = flushers;
        this.fanout = fanout;
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
                flushers, fanout,
                new TokenBucket(limits.rate(), limits.burst(), now), new AbuseDetector(limits.abuseRejections(), limits.abuseWindowMillis()), metrics,
                refusals, welcomes, websocket.closeTimeout().toMillis());
        // Micronaut inserts its own WebSocket handler right before the upgrade handler after this
        // method returns, so ours ends up in front of it and sees every frame first.
        channel.pipeline().addBefore(upgradeContext.name(), WebSocketFrameReader.NAME,
                new WebSocketFrameReader(connection, frameHandler, lifecycle, limits.maxFrameBytes(), metrics, websocket));
        channel.eventLoop().execute(new MicronautHandlerRemoval(channel, nettyRequest));
        connections.add(connection);

        if (!claims.allows(universeName)) {
            refusals.refuse(RefusalReason.NOT_ALLOWED, connection.address, "universe=" + universeName + " close=4003");
            connection.close(CloseCodes.NOT_ALLOWED, "your token does not allow universe " + universeName);
            return;
        }
        long delay = SpectatorDelay.parse(dev.universerelay.security.RawQuery.of(nettyRequest), Long.MAX_VALUE); // checked before the upgrade
        if (delay > 0) {
            delayed.open(universeName, connection, claims, delay);
            return;
        }
        UniverseRegistry.Entry entry;
        try {
            entry = registry.join(universeName,
                    new PlayerIdentity(claims.subject(), claims.name(), claims.spectator(), connection.address), connection);
        } catch (RuntimeException e) { // the other nodes could not be reached (cluster mode)
            refusals.refuse(RefusalReason.CLUSTER_UNREACHABLE, connection.address,
                    "universe=" + universeName + " close=1013 (" + e.getClass().getSimpleName() + ")");
            connection.close(CloseCodes.TRY_AGAIN_LATER, "this node cannot reach the other nodes; try again shortly");
            return;
        }
        if (entry.result() instanceof JoinResult.Entered entered) {
            connection.universe = entry.universe();
            connection.player = entered.player();
            connection.traffic = traffic.of(universeName);
            quotas.creations().arrived(universeName);
            scheduleExpiry(connection, claims);
            // DEBUG: a churn of connections must not become a churn of log lines (operations.md, Logs)
            LOG.debug("connected universe={} player={} spectator={} resumed={} wire={} address={}", universeName,
                    entered.player().number(), claims.spectator(), entered.resumed(), wire.subprotocol(), connection.address);
        } else if (entry.result() instanceof JoinResult.OriginShareFull) {
            refusals.refuse(RefusalReason.ADDRESS_PLAYER_SHARE, connection.address, "universe=" + universeName + " close=4004");
            connection.close(CloseCodes.UNIVERSE_FULL, "players from your address hold their share of universe "
                    + universeName + "'s slots");
        } else {
            refusals.refuse(RefusalReason.UNIVERSE_FULL, connection.address, "universe=" + universeName + " close=4004");
            connection.close(CloseCodes.UNIVERSE_FULL, "universe " + universeName + " is full");
        }
    }

    /**
     * Slims a relay socket once Micronaut has finished its upgrade (right after {@code @OnOpen}
     * returns): takes Micronaut's WebSocket handler and its idle-state handler out of the pipeline,
     * and empties the upgrade request's attributes and headers. Frames never reach Micronaut's
     * handler (the relay's reader takes them all), and the idle-state handler keeps a timer per
     * connection for Micronaut's 5-minute idle timeout, which the relay's own sweep (pings, 30 s
     * idle timeout) makes redundant. The request itself stays reachable (Micronaut keeps the HTTP
     * handler of each connection for its graceful shutdown, and that handler's removed pipeline
     * context still points at the WebSocket handler), so what it holds is dropped instead: the
     * route match, the authentication with its claims, the token and the header map. That is most
     * of what an idle connection used to keep (docs/benchmarks/history.md, idle memory).
     */
    static final class MicronautHandlerRemoval implements Runnable {
        private static final int ATTEMPTS = 50;
        private final Channel channel;
        private final NettyHttpRequest<?> request;
        private int attempts;

        MicronautHandlerRemoval(Channel channel, NettyHttpRequest<?> request) {
            this.channel = channel;
            this.request = request;
        }

        @Override
        public void run() {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyServerWebSocketHandler.ID) == null) {
                // Micronaut finishes the upgrade on the thread that completed the request; if that
                // was not this event loop, its handler may not be there yet.
                if (channel.isActive() && ++attempts < ATTEMPTS) {
                    channel.eventLoop().schedule(this, 20, TimeUnit.MILLISECONDS);
                } else if (channel.isActive()) {
                    LOG.warn("Micronaut's WebSocket handler never appeared in {}; leaving the pipeline as it is", pipeline.names());
                }
                return;
            }
            pipeline.remove(NettyServerWebSocketHandler.ID);
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_IDLE_STATE) != null) {
                pipeline.remove(ChannelPipelineCustomizer.HANDLER_IDLE_STATE);
            }
            request.getAttributes().clear();
            try {
                request.getNativeRequest().headers().clear();
            } catch (UnsupportedOperationException readOnly) {
                // headers Netty made read-only stay; only memory is at stake
            }
        }
    }

    /** Housekeeping's expiry sweep closes the connection with 4001 once the token has expired. */
    private static void scheduleExpiry(Connection connection, TokenClaims claims) {
        if (claims.expiresAt() != null) {
            connection.expiresAtMillis = claims.expiresAt().toEpochMilli();
        }
    }
}
