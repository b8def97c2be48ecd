package dev.universerelay.transport;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.recording.RecordingIndex;
import dev.universerelay.recording.ReplaySession;
import dev.universerelay.security.TokenClaims;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.WebSocketSession;
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
    private final UpgradedSockets sockets;
    private final Refusals refusals;

    ReplayOpener(ReplaySessions replays, UpgradedSockets sockets, Refusals refusals) {
        this.replays = replays;
        this.sockets = sockets;
        this.refusals = refusals;
    }

    void open(String id, WebSocketSession session, HttpRequest<?> request) {
        UpgradedSockets.Upgraded upgraded = sockets.attach(session, request).orElse(null);
        if (upgraded == null) {
            return;
        }
        Connection connection = upgraded.connection();
        TokenClaims claims = upgraded.claims();
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
            if (!connection.channel.isActive()) { // closed before the replay was attached: the lifecycle did not see it
                replays.closed(replay.get());
            }
        } catch (IOException e) {
            replays.closed(replay.get());
            LOG.warn("recording={} cannot be replayed: {}", id, e.getMessage());
            connection.close(CloseCodes.INTERNAL_ERROR, "the recording cannot be read");
        }
    }
}
