package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.universe.Player;
import dev.universerelay.universe.PlayerLink;
import dev.universerelay.universe.Universe;
import io.netty.channel.Channel;

/**
 * One player's socket: its wire format, its outbox and its per-connection limits. The universe
 * sees it only as a {@link PlayerLink}.
 */
final class Connection implements PlayerLink, Outbox.Owner {
    final Channel channel;
    final WireFormat wire;
    final String address;
    final Outbox outbox;
    final TokenBucket bucket;
    final AbuseDetector abuse;
    private final RelayMetrics metrics;
    volatile long lastSeenNanos;
    /** The close code the client sent, or -1 when it sent none. */
    volatile int clientCloseCode = -1;
    volatile Universe universe;
    volatile Player player;
    /** When the token expires (epoch milliseconds): {@link Housekeeping} closes it with 4001 then. */
    volatile long expiresAtMillis = Long.MAX_VALUE;

    Connection(Channel channel, WireFormat wire, String address, int maxPendingBytes, long flushIntervalMicros,
               TokenBucket bucket, AbuseDetector abuse, RelayMetrics metrics) {
        this.channel = channel;
        this.wire = wire;
        this.address = address;
        this.bucket = bucket;
        this.abuse = abuse;
        this.metrics = metrics;
        this.outbox = new Outbox(channel, maxPendingBytes, flushIntervalMicros, this);
        this.lastSeenNanos = System.nanoTime();
    }

    /** Sends one message to this connection alone, in its wire format. */
    @Override
    public void send(ServerMessage message) {
        if (message instanceof ServerMessage.DeltaEvent event) {
            deliver(event, null, null);
        } else if (message instanceof ServerMessage.Welcome) {
            outbox.snapshot(JsonCodec.encodeControl(message));
        } else {
            outbox.control(JsonCodec.encodeControl(message));
        }
        metrics.sent(message, 1);
    }

    /** Queues a delta event whose encodings may already exist (shared across recipients). */
    void deliver(ServerMessage.DeltaEvent event, byte[] binary, byte[] json) {
        boolean velocity = event instanceof ServerMessage.Velocity;
        if (wire == WireFormat.BINARY) {
            outbox.event(binary != null ? binary : BinaryCodec.encode(event), true, event.id(), velocity);
        } else {
            outbox.event(json != null ? json : JsonCodec.encode(event), false, event.id(), velocity);
        }
    }

    @Override
    public void overflowed() {
        closeNow(CloseCodes.TRY_AGAIN_LATER, "too slow: too many events pending");
    }

    @Override
    public void coalesced() {
        metrics.coalesced();
    }

    @Override
    public void written(int bytes) {
        metrics.bytesSent(bytes);
    }

    @Override
    public void close(int closeCode, String reason) {
        outbox.close(closeCode, reason);
    }

    void closeNow(int closeCode, String reason) {
        outbox.closeNow(closeCode, reason);
    }

    boolean isClosing() {
        return outbox.isClosing() || !channel.isActive();
    }

    @Override
    public String toString() {
        return "connection " + channel.id().asShortText() + (player != null ? " of " + player + " in " + universe.name() : "");
    }
}
