package dev.universerelay.transport;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.recording.DelayLine;
import dev.universerelay.recording.DelayLines;
import dev.universerelay.recording.DelayedView;
import dev.universerelay.recording.Playback;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Spectators who watch a live universe with a delay ({@code ?delay=} milliseconds, docs/recordings.md):
 * they do not join the universe (players never learn of them); a {@link DelayedView} serves them
 * from the universe's {@link DelayLine}. They share the replay cap ({@code relay.recordings.max-replays}).
 */
@Singleton
final class DelayedSpectators {
    private final UniverseRegistry registry;
    private final ReplaySessions replays;
    private final Refusals refusals;
    private final DelayLines lines;

    DelayedSpectators(UniverseRegistry registry, ReplaySessions replays, Refusals refusals, RecordingConfiguration config) {
        this.registry = registry;
        this.replays = replays;
        this.refusals = refusals;
        this.lines = new DelayLines(config.maxSpectatorDelay().toMillis() + 1000);
    }

    /** Attaches a delayed view to an upgraded connection, or closes it saying why. */
    void open(String universeName, Connection connection, TokenClaims claims, long delayMillis) {
        if (!claims.spectator()) {
            refusals.refuse(RefusalReason.NOT_ALLOWED, connection.address, "universe=" + universeName + " delay close=4003");
            connection.close(CloseCodes.NOT_ALLOWED, "only spectator tokens may watch with a delay");
            return;
        }
        Optional<Universe> universe = registry.find(universeName).filter(u -> !u.isClosed());
        if (universe.isEmpty()) {
            connection.close(CloseCodes.NOT_FOUND, "no live universe " + universeName + " on this node");
            return;
        }
        if (!replays.tryTakeSlot()) {
            refusals.refuse(RefusalReason.REPLAYS, connection.address, "universe=" + universeName + " delay close=1013");
            connection.close(CloseCodes.TRY_AGAIN_LATER, "this node serves its maximum number of replays and delayed views");
            return;
        }
        Universe u = universe.get();
        DelayLine line = lines.acquire(universeName, u::attach);
        DelayedView view = new DelayedView(line, delayMillis, new ReplayLink(connection), universeName, claims.name(),
                replays.limits(), System::currentTimeMillis,
                () -> connection.close(CloseCodes.GOING_AWAY, "the universe closed"));
        Playback playback = new Playback() {
            @Override
            public String control(ReplayCodec.Control control) {
                return view.control(control);
            }

            @Override
            public ServerMessage.Pong pong(double clientTime) {
                return view.pong(clientTime);
            }

            @Override
            public boolean stop() {
                if (!view.stop()) {
                    return false;
                }
                lines.release(universeName, line, u::detach);
                return true;
            }
        };
        connection.replay = playback;
        view.start(replays.scheduler());
        if (!connection.channel.isActive()) {
            replays.closed(playback);
        }
    }

    int lines() {
        return lines.size();
    }
}
