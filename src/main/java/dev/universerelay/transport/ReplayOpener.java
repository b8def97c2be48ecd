package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.recording.RecordingIndex;
import dev.universerelay.recording.ReplaySession;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.TokenClaims;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an upgraded socket on {@code /ws/replays/{id}} into a replay viewer: the same connection
 * machinery as a spectator of a live universe (outbox, frame reader, limits, pings, token expiry),
 * with a {@link ReplaySession} where a player would be. Refuses after the upgrade, like a live
 * universe, so that browsers can show why: 4003 when the token's universe claims do not allow the
 * recorded universe, 4004 when the recording is gone, 1013 at the replay cap.
 */
@Singleton
final class ReplayOpener {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayOpener.class);

    private final ReplaySessions replays;
    private final ConnectionIndex connections;
    private final ConnectionLifecycle lifecycle;
    private final ClientFrameHandler frameHandler;
    private final LimitsConfiguration limits;
    private final ProxyTrust proxies;
    private final RelayMetrics metrics;
    private final Refusals refusals;
    private final LoopFlushers flushers;
    private final WireFanout fanout;
    private final WebSocketConfiguration websocket;
    private final WelcomeBudget welcomes;

    ReplayOpener(ReplaySessions replays, ConnectionIndex connections, ConnectionLifecycle lifecycle,
                 ClientFrameHandler frameHandler, LimitsConfiguration limits, ProxyTrust proxies, RelayMetrics metrics,
                 Refusals refusals, LoopFlushers flushers, WireFanout fanout,
                 WebSocketConfiguration websocket, WelcomeBudget welcomes) {
        this.replays = replays;
        this.connections = connections;
        this.lifecycle = lifecycle;
        this.frameHandler = frameHandler;
        this.limits = limits;
        this.proxies = proxies;
        this.metrics = metrics;
        this.refusals = refusals;
        this.flushers = flushers;
        this.fanout = fanout;
        this.websocket = websocket;
        this.welcomes = welcomes;
    }

    void open(String id, WebSocketSession session, HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        if (!(request instanceof NettyHttpRequest<?> nettyRequest) || authentication == null) {
            LOG.error("replay socket opened without a Netty request or an authentication; closing it");
            session.close(CloseReason.INTERNAL_ERROR);
            return;
        }
        ChannelHandlerContext upgradeContext = nettyRequest.getChannelHandlerContext();
        Channel channel = upgradeContext.channel();
        TokenClaims claims = TokenClaims.of(authentication);
        WireFormat wire = WireFormat.ofSubprotocol(session.getSubprotocol().orElse(null));
        Connection connection = new Connection(channel, wire, proxies.clientAddress(request), limits.maxPendingBytes(),
                flushers, fanout, new TokenBucket(limits.rate(), limits.burst(), System.nanoTime()),
                new AbuseDetector(limits.abuseRejections(), limits.abuseWindowMillis()), metrics, refusals, welcomes,
                websocket.closeTimeout().toMillis());
        channel.pipeline().addBefore(upgradeContext.name(), WebSocketFrameReader.NAME,
                new WebSocketFrameReader(connection, frameHandler, lifecycle, limits.maxFrameBytes(), metrics, websocket));
        channel.eventLoop().execute(new ConnectionOpener.MicronautHandlerRemoval(channel, nettyRequest));
        connections.add(connection);
        if (claims.expiresAt() != null) {
            connection.expiresAtMillis = claims.expiresAt().toEpochMilli();
        }

        Optional<RecordingIndex> index = replays.find(id);
        if (index.isEmpty()) {
            connection.close(CloseCodes.NOT_FOUND, "no recording " + id);
            return;
        }
        if (!claims.allows(index.get().universe())) {
            refusals.refuse(RefusalReason.NOT_ALLOWED, connection.address, "recording=" + id + " close=4003");
            connection.close(CloseCodes.NOT_ALLOWED, "your token does not allow universe " + index.get().universe());
            return;
        }
        Optional<ReplaySession> replay = replays.open(index.get(), connection, claims.name());
        if (replay.isEmpty()) {
            refusals.refuse(RefusalReason.REPLAYS, connection.address, "recording=" + id + " close=1013");
            connection.close(CloseCodes.TRY_AGAIN_LATER, "this node plays its maximum number of replays; try again later");
            return;
        }
        try {
            replay.get().start();
            connection.replay = replay.get();
            if (!channel.isActive()) { // closed before the replay was attached: the lifecycle did not see it
                replays.closed(replay.get());
            }
        } catch (IOException e) {
            replays.closed(replay.get());
            LOG.warn("recording={} cannot be replayed: {}", id, e.getMessage());
            connection.close(CloseCodes.INTERNAL_ERROR, "the recording cannot be read");
        }
    }
}
