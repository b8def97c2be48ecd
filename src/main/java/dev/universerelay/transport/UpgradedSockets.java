package dev.universerelay.transport;

import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.security.TokenClaims;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.netty.handler.PipeliningServerHandler;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a relay {@link Connection} of a socket Micronaut has just upgraded, whatever it is for (a
 * live universe or a replay): its outbox, rate limit and abuse detector, our frame reader in front
 * of Micronaut's handler, Micronaut's per-connection handlers taken out once the upgrade is done,
 * the token's expiry, and its place in the node's index. One place, so that every kind of relay
 * socket gets the same limits and the same slimming.
 */
@Singleton
final class UpgradedSockets {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradedSockets.class);

    private final ConnectionIndex connections;
    private final ConnectionLifecycle lifecycle;
    private final ClientFrameHandler frameHandler;
    private final NewConnections newConnections;
    private final LimitsConfiguration limits;
    private final RelayMetrics metrics;
    private final WebSocketConfiguration websocket;

    UpgradedSockets(ConnectionIndex connections, ConnectionLifecycle lifecycle, ClientFrameHandler frameHandler,
                    NewConnections newConnections, LimitsConfiguration limits, RelayMetrics metrics,
                    WebSocketConfiguration websocket) {
        this.connections = connections;
        this.lifecycle = lifecycle;
        this.frameHandler = frameHandler;
        this.newConnections = newConnections;
        this.limits = limits;
        this.metrics = metrics;
        this.websocket = websocket;
    }

    /** A relay connection just made, with the claims of its token and the request that upgraded it. */
    record Upgraded(Connection connection, TokenClaims claims, NettyHttpRequest<?> request) {
    }

    /**
     * The relay connection of {@code session}, registered and reading; empty (and the socket closed)
     * when the request is not a Netty request that the security filter authenticated.
     */
    Optional<Upgraded> attach(WebSocketSession session, HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        if (!(request instanceof NettyHttpRequest<?> nettyRequest) || authentication == null) {
            LOG.error("relay socket opened without a Netty request or an authentication; closing it");
            session.close(CloseReason.INTERNAL_ERROR);
            return Optional.empty();
        }
        ChannelHandlerContext upgradeContext = nettyRequest.getChannelHandlerContext();
        Channel channel = upgradeContext.channel();
        TokenClaims claims = TokenClaims.of(authentication);
        WireFormat wire = WireFormat.ofSubprotocol(session.getSubprotocol().orElse(null));
        Connection connection = newConnections.of(channel, wire, request);
        // Micronaut inserts its own WebSocket handler right before the upgrade handler after this
        // method returns, so ours ends up in front of it and sees every frame first.
        channel.pipeline().addBefore(upgradeContext.name(), WebSocketFrameReader.NAME,
                new WebSocketFrameReader(connection, frameHandler, lifecycle, limits.maxFrameBytes(), metrics, websocket));
        HttpHandlerVacancy.takeOver(upgradeContext, WebSocketFrameReader.NAME);
        channel.eventLoop().execute(new MicronautHandlerRemoval(channel));
        connections.add(connection);
        if (claims.expiresAt() != null) { // Housekeeping's expiry sweep closes it with 4001 then
            connection.expiresAtMillis = claims.expiresAt().toEpochMilli();
        }
        return Optional.of(new Upgraded(connection, claims, nettyRequest));
    }

    /**
     * Takes Micronaut's HTTP handler out of a socket being upgraded before Micronaut does, leaving a
     * handler that does nothing under its name. Micronaut inserts its WebSocket handler right in
     * front of the HTTP handler and then removes the HTTP handler by name; a removed Netty context
     * keeps pointing at its neighbours, and Micronaut keeps the HTTP handler (with its context) for
     * the connection's whole life for its graceful shutdown. Removed by Micronaut, that context would
     * point at the WebSocket handler, and through it at the upgrade request, its URI (token
     * included), the route match and the session: about 2 KB that every idle connection kept
     * (docs/performance.md, "Memory per idle connection"). Removed here, it points at the relay's
     * frame reader, which lives as long as the socket anyway; what Micronaut removes is the vacancy,
     * which nothing keeps.
     */
    @ChannelHandler.Sharable
    static final class HttpHandlerVacancy extends ChannelHandlerAdapter {
        private static final HttpHandlerVacancy INSTANCE = new HttpHandlerVacancy();

        /**
         * Removes the HTTP handler, whose context then points at the handler before it ({@code
         * frameReader}), and puts the vacancy in its place under its name. Not Netty's {@code
         * replace}, which points the replaced context at the replacement, and so at its neighbours.
         */
        static void takeOver(ChannelHandlerContext httpHandler, String frameReader) {
            ChannelPipeline pipeline = httpHandler.pipeline();
            if (httpHandler.handler() instanceof PipeliningServerHandler && !httpHandler.isRemoved()) {
                pipeline.remove(httpHandler.handler());
                pipeline.addAfter(frameReader, httpHandler.name(), INSTANCE);
            }
        }
    }

    /**
     * Slims a relay socket once Micronaut has finished its upgrade (right after {@code @OnOpen}
     * returns): takes Micronaut's WebSocket handler and its idle-state handler (and the relay's
     * {@link UniverseAffinity}, whose work ended with the handshake) out of the pipeline. Frames
     * never reach Micronaut's handler (the relay's reader takes them all), and the idle-state handler
     * keeps a timer per connection for Micronaut's 5-minute idle timeout, which the relay's own sweep
     * (pings, 30 s idle timeout) makes redundant. With {@link HttpHandlerVacancy} in place, nothing
     * reaches the WebSocket handler or the upgrade request after this, so both are freed
     * ({@code PipelineTest} checks it).
     */
    static final class MicronautHandlerRemoval implements Runnable {
        private static final int ATTEMPTS = 50;
        private final Channel channel;
        private int attempts;

        MicronautHandlerRemoval(Channel channel) {
            this.channel = channel;
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
            if (pipeline.get(UniverseAffinity.NAME) != null) { // its work was done with the handshake
                pipeline.remove(UniverseAffinity.NAME);
            }
        }
    }
}
