package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.DecodedFrame;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.InboundItem;
import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.universe.Rejection;
import jakarta.inject.Singleton;

/**
 * Takes a decoded frame through the contract's order of checks, message by message: rate limit
 * (every message costs a token), field types, then the universe's rules. Every refusal is
 * answered with an {@code error}; enough of them in a short time closes the connection (1008).
 * A move with a {@code seq} (input acknowledgement, docs/protocol.md section 14) is answered
 * either way: its refusal's {@code error} carries the {@code seq}, its application an {@code ack},
 * so that a client predicting its own entities knows what the server holds.
 *
 * <p>WebSocket pings and pongs from the client cost a token too, from the same bucket: a ping
 * within the rate is answered with a pong (through the outbox, see {@link Outbox#pong}); beyond
 * it, it is not answered and counts as a rejection, so that a ping flood ends in 1008 like a flood
 * of messages. Only frames within the rate count as signs of life for the idle timeout.
 */
@Singleton
final class ClientFrameHandler {
    private final RelayMetrics metrics;
    private final String rateMessage;

    ClientFrameHandler(RelayMetrics metrics, dev.universerelay.limits.LimitsConfiguration limits) {
        this.metrics = metrics;
        this.rateMessage = "more than " + limits.rate() + " messages per second (burst " + limits.burst() + ")";
    }

    void handle(Connection connection, DecodedFrame frame) {
        long now = System.nanoTime();
        if (frame.isUndecodable()) {
            reject(connection, ErrorCode.BAD_MESSAGE, frame.failure(), null, null, now);
            return;
        }
        for (InboundItem item : frame.items()) {
            if (connection.isClosing()) {
                return;
            }
            Long ref = item instanceof ClientMessage.Spawn spawn ? spawn.ref() : null;
            Long seq = item instanceof ClientMessage.Move move && move.wantsAck() ? move.seq() : null;
            if (!connection.bucket.tryTake(now)) {
                reject(connection, ErrorCode.RATE_LIMITED, rateMessage, ref, seq, now);
                continue;
            }
            if (item instanceof InboundItem.Malformed malformed) {
                reject(connection, ErrorCode.BAD_MESSAGE, malformed.reason(), null, null, now);
            } else if (item instanceof ClientMessage.Ping ping) {
                metrics.received(ping);
                var replay = connection.replay;
                connection.send(replay != null ? replay.pong(ping.clientTime())
                        : new ServerMessage.Pong(ping.clientTime(), System.currentTimeMillis()));
            } else if (connection.replay != null) {
                reject(connection, ErrorCode.READ_ONLY, "a replay is watched, not played: only ping and replay", ref, seq, now);
            } else if (item instanceof ClientMessage message) {
                metrics.received(message);
                connection.traffic.eventIn();
                long start = System.nanoTime();
                Rejection rejection = connection.universe.apply(connection.player, connection, message);
                metrics.applied(System.nanoTime() - start);
                if (rejection != null) {
                    reject(connection, rejection.code(), rejection.message(), ref, seq, now);
                } else if (seq != null) {
                    ClientMessage.Move move = (ClientMessage.Move) message;
                    connection.send(new ServerMessage.Ack(move.id(), seq, System.currentTimeMillis()));
                }
            }
        }
    }

    /**
     * Takes a text frame of a replay viewer: a {@code replay} control (speed, pause, seek) costs a
     * token and is applied or answered with {@code bad_message}. Returns false for any other frame,
     * which then goes through {@link #handle} like a spectator's.
     */
    boolean replayControl(Connection connection, String text) {
        if (!ReplayCodec.isControl(text)) {
            return false;
        }
        long now = System.nanoTime();
        if (!connection.bucket.tryTake(now)) {
            reject(connection, ErrorCode.RATE_LIMITED, rateMessage, null, null, now);
            return true;
        }
        String refused;
        try {
            refused = connection.replay.control(ReplayCodec.decodeControl(text));
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
        }
        if (refused != null) {
            reject(connection, ErrorCode.BAD_MESSAGE, refused, null, null, now);
        }
        return true;
    }

    /**
     * Takes a client ping or pong through the rate limit; a ping within it is answered with
     * {@code payload} (copied only then). Returns whether the frame was within the rate (and so a
     * sign of life).
     */
    boolean control(Connection connection, boolean ping, io.netty.buffer.ByteBuf payload) {
        long now = System.nanoTime();
        if (!connection.bucket.tryTake(now)) {
            metrics.rejected(ErrorCode.RATE_LIMITED);
            connection.rateLimitHits++;
            if (connection.abuse.reject(now)) {
                connection.refuseNow(dev.universerelay.limits.RefusalReason.PING_FLOOD, CloseCodes.POLICY_VIOLATION,
                        "too many pings");
            }
            return false;
        }
        if (ping) {
            connection.outbox.pong(io.netty.buffer.ByteBufUtil.getBytes(payload));
        }
        return true;
    }

    private void reject(Connection connection, ErrorCode code, String message, Long ref, Long seq, long now) {
        metrics.rejected(code);
        if (code == ErrorCode.RATE_LIMITED) {
            connection.rateLimitHits++;
        } else {
            connection.rejectedMessages++;
        }
        connection.send(new ServerMessage.Error(code, message, ref, seq));
        if (connection.abuse.reject(now)) {
            connection.refuse(dev.universerelay.limits.RefusalReason.ABUSE_REJECTIONS, CloseCodes.POLICY_VIOLATION,
                    "too many rejected messages");
        }
    }
}
