package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.metrics.UniverseTraffic;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.protocol.CloseCodes;
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
    private final Refusals refusals;
    private final WireFanout fanout;
    volatile long lastSeenNanos;
    /** The close code the client sent, or -1 when it sent none. */
    volatile int clientCloseCode = -1;
    volatile Universe universe;
    volatile Player player;
    /** What this connection watches instead of a universe: a recording, or a live universe with a delay; null for members. */
    volatile dev.universerelay.recording.Playback replay;
    /** When the token expires (epoch milliseconds): {@link Housekeeping} closes it with 4001 then. */
    volatile long expiresAtMillis = Long.MAX_VALUE;
    /** When the socket was upgraded (epoch milliseconds), for the operator console. */
    final long connectedAtMillis = System.currentTimeMillis();
    /**
     * Messages refused by the rate limit, and messages refused for any other reason, for the
     * operator console. Written only on this connection's event loop (a plain increment); the
     * console reads them from another thread and may see a value a moment old.
     */
    long rateLimitHits;
    long rejectedMessages;
    /** The counters of the universe it joined, set once it has joined ({@link UniverseTraffic#NONE} before). */
    volatile UniverseTraffic traffic = UniverseTraffic.NONE;

    Connection(Channel channel, WireFormat wire, String address, int maxPendingBytes, LoopFlushers flushers,
               WireFanout fanout, TokenBucket bucket, AbuseDetector abuse, RelayMetrics metrics, Refusals refusals,
               WelcomeBudget welcomes, long closeTimeoutMillis, boolean rawFrames) {
        this.channel = channel;
        this.wire = wire;
        this.address = address;
        this.bucket = bucket;
        this.abuse = abuse;
        this.metrics = metrics;
        this.refusals = refusals;
        this.fanout = fanout;
        this.outbox = new Outbox(channel, maxPendingBytes, flushers.of(channel.eventLoop()), this, welcomes, closeTimeoutMillis,
                rawFrames);
        this.lastSeenNanos = System.nanoTime();
    }

    /**
     * Sends one message to this connection, in its wire format: alone, or as one of the recipients of
     * a fan-out in progress, whose encoding it shares.
     */
    @Override
    public void send(ServerMessage message) {
        fanout.deliver(this, message);
    }

    @Override
    public void overflowed() {
        refuseNow(RefusalReason.SLOW_READER, CloseCodes.TRY_AGAIN_LATER, "too slow: too many events pending");
    }

    @Override
    public void welcomeRefused() {
        refuseNow(RefusalReason.WELCOME_BUDGET, CloseCodes.TRY_AGAIN_LATER, "server busy: too many snapshots in flight, try again");
    }

    @Override
    public void coalesced() {
        metrics.coalesced();
    }

    @Override
    public void written(int bytes) {
        metrics.bytesSent(bytes);
        traffic.bytesOut(bytes);
    }

    @Override
    public void close(int closeCode, String reason) {
        outbox.close(closeCode, reason);
    }

    void closeNow(int closeCode, String reason) {
        outbox.closeNow(closeCode, reason);
    }

    /**
     * Closes for abuse or a broken limit at once, and reports it (once per connection) as a
     * refusal; {@code reason} goes into the close frame and the log line, so it names the limit only.
     */
    void refuseNow(RefusalReason why, int closeCode, String reason) {
        if (reportClose(why, closeCode, reason)) {
            outbox.closeNow(closeCode, reason);
        }
    }

    /** Like {@link #refuseNow}, after what is already queued has been written. */
    void refuse(RefusalReason why, int closeCode, String reason) {
        if (reportClose(why, closeCode, reason)) {
            outbox.close(closeCode, reason);
        }
    }

    /** Reports the close unless this connection is closing already; false then. */
    boolean reportClose(RefusalReason why, int closeCode, String reason) {
        if (outbox.isClosing()) {
            return false;
        }
        refusals.refuse(why, address, "close=" + closeCode + " " + reason + (player != null ? " player=" + player.number() : ""));
        return true;
    }

    boolean isClosing() {
        return outbox.isClosing() || !channel.isActive();
    }

    @Override
    public String toString() {
        return "connection " + channel.id().asShortText() + (player != null ? " of " + player + " in " + universe.name() : "");
    }
}
