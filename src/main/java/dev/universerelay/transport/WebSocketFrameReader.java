package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.DecodedFrame;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import dev.universerelay.limits.RefusalReason;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.compression.DecompressionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one relay connection's WebSocket frames straight from Netty, ahead of Micronaut's
 * WebSocket handler. Doing it here keeps per-message overhead at a decode and a dispatch, and
 * gives us what Micronaut's API hides: the client's close code (1000 means leave for good,
 * anything else starts the resume grace period) and every frame for the idle timer.
 *
 * <p>It also enforces the frame-level rules RFC 6455 leaves to the endpoint: RSV bits need a
 * negotiated extension (permessage-deflate clears RSV1 before this handler; anything left is 1002),
 * a fragmented message has a deadline and a number of fragments (1008), pings and pongs go through
 * the connection's rate limit ({@link ClientFrameHandler#control}). And it owns the closing
 * handshake: a close of the channel while the client has not sent its Close is held back (the
 * channel keeps reading and discarding) until the client's Close, the end of its input, or
 * {@code relay.websocket.close-timeout}, so that the server's close frame is not destroyed by the
 * TCP reset a close with unread input causes (RFC 6455 7.1.1).
 */
final class WebSocketFrameReader extends ChannelDuplexHandler {
    static final String NAME = "relay-frame-reader";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameReader.class);

    private final Connection connection;
    private final ClientFrameHandler handler;
    private final ConnectionLifecycle lifecycle;
    private final int maxFrameBytes;
    private final RelayMetrics metrics;
    private final WebSocketConfiguration websocket;
    private CompositeByteBuf fragments;
    private boolean fragmentsAreText;
    private int fragmentCount;
    private ScheduledFuture<?> fragmentDeadline;
    /** Whether the client's Close frame arrived. */
    private boolean peerClosed;
    /** A close of the channel held back until the client's Close or the close timeout. */
    private ChannelPromise heldClose;

    WebSocketFrameReader(Connection connection, ClientFrameHandler handler, ConnectionLifecycle lifecycle, int maxFrameBytes,
                         RelayMetrics metrics, WebSocketConfiguration websocket) {
        this.connection = connection;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.maxFrameBytes = maxFrameBytes;
        this.metrics = metrics;
        this.websocket = websocket;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof CloseWebSocketFrame close) {
                peerClose(ctx, close);
            } else if (connection.outbox.isClosing()) {
                return; // after our Close, input is read only to be discarded
            } else if (frame.rsv() != 0) {
                refuse(RefusalReason.BAD_FRAME, CloseCodes.PROTOCOL_ERROR, "reserved bits set without an extension");
            } else {
                read(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void read(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            connection.lastSeenNanos = System.nanoTime();
            data(frame.content(), frame instanceof TextWebSocketFrame, frame.isFinalFragment());
        } else if (frame instanceof ContinuationWebSocketFrame more) {
            connection.lastSeenNanos = System.nanoTime();
            continuation(more);
        } else if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
            boolean ping = frame instanceof PingWebSocketFrame;
            if (handler.control(connection, ping, frame.content())) {
                connection.lastSeenNanos = System.nanoTime();
            }
        } else {
            refuse(RefusalReason.BAD_FRAME, CloseCodes.UNSUPPORTED_DATA, "unsupported frame");
        }
    }

    /**
     * The client's Close: the end of a closing handshake we started (the held close goes ahead),
     * or the start of one, answered with the same code.
     */
    private void peerClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        if (peerClosed) {
            return;
        }
        peerClosed = true;
        if (heldClose != null) { // the answer to our Close: its code is ours, not the client's choice
            releaseClose(ctx);
            return;
        }
        int code = close.statusCode();
        connection.clientCloseCode = code;
        connection.outbox.closeNow(code > 0 ? code : CloseCodes.NORMAL, "");
    }

    private void data(ByteBuf content, boolean text, boolean last) {
        if (fragments != null) {
            refuse(RefusalReason.BAD_FRAME, CloseCodes.POLICY_VIOLATION, "new message before the last one ended");
            return;
        }
        if (tooBig(content.readableBytes())) {
            return;
        }
        if (last) {
            process(content, text);
        } else {
            fragments = content.alloc().compositeBuffer();
            fragments.addComponent(true, content.retain());
            fragmentsAreText = text;
            fragmentCount = 1;
            fragmentDeadline = connection.channel.eventLoop().schedule(this::fragmentTimedOut,
                    websocket.fragmentTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void continuation(ContinuationWebSocketFrame more) {
        if (fragments == null) {
            refuse(RefusalReason.BAD_FRAME, CloseCodes.POLICY_VIOLATION, "continuation without a first fragment");
            return;
        }
        if (++fragmentCount > websocket.maxFragments()) {
            releaseFragments();
            refuse(RefusalReason.TOO_MANY_FRAGMENTS, CloseCodes.POLICY_VIOLATION,
                    "message in more than " + websocket.maxFragments() + " fragments");
            return;
        }
        if (tooBig(fragments.readableBytes() + more.content().readableBytes())) {
            return;
        }
        fragments.addComponent(true, more.content().retain());
        if (more.isFinalFragment()) {
            try {
                process(fragments, fragmentsAreText);
            } finally {
                releaseFragments();
            }
        }
    }

    private void fragmentTimedOut() {
        if (fragments != null) {
            releaseFragments();
            refuse(RefusalReason.FRAGMENT_TIMEOUT, CloseCodes.POLICY_VIOLATION,
                    "fragmented message not finished within " + websocket.fragmentTimeout().toMillis() + " ms");
        }
    }

    private boolean tooBig(int bytes) {
        if (bytes <= maxFrameBytes) {
            return false;
        }
        releaseFragments();
        refuse(RefusalReason.FRAME_TOO_BIG, CloseCodes.TOO_BIG, "message larger than " + maxFrameBytes + " bytes");
        return true;
    }

    private void refuse(RefusalReason why, int code, String reason) {
        connection.refuseNow(why, code, reason);
    }

    private void process(ByteBuf content, boolean text) {
        if ((connection.player == null && connection.replay == null) || connection.isClosing()) {
            return;
        }
        metrics.bytesReceived(content.readableBytes());
        connection.traffic.bytesIn(content.readableBytes());
        DecodedFrame decoded;
        if (connection.replay != null && text && ByteBufUtil.isText(content, StandardCharsets.UTF_8)
                && handler.replayControl(connection, content.toString(StandardCharsets.UTF_8))) {
            return; // a replay control, JSON text on either subprotocol (docs/protocol.md section 15)
        }
        if (text != (connection.wire == WireFormat.JSON)) {
            decoded = DecodedFrame.undecodable(connection.wire.subprotocol() + " expects "
                    + (connection.wire == WireFormat.JSON ? "text" : "binary") + " frames");
        } else if (text) {
            if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
                refuse(RefusalReason.BAD_FRAME, CloseCodes.INVALID_PAYLOAD, "text frame is not valid UTF-8");
                return;
            }
            decoded = JsonCodec.decodeClientFrame(content.toString(StandardCharsets.UTF_8));
        } else {
            decoded = BinaryCodec.decodeClientFrame(content.nioBuffer());
        }
        handler.handle(connection, decoded);
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
        if (fragmentDeadline != null) {
            fragmentDeadline.cancel(false);
            fragmentDeadline = null;
        }
    }

    /**
     * Holds a close of the channel back while the client may still send its Close (see the class
     * comment); the socket keeps reading, and {@link #channelRead} discards what arrives.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (peerClosed || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        if (heldClose != null) {
            heldClose.addListener(done -> promise.trySuccess());
            return;
        }
        heldClose = promise;
        ctx.executor().schedule(() -> releaseClose(ctx), websocket.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void releaseClose(ChannelHandlerContext ctx) {
        ChannelPromise promise = heldClose;
        if (promise != null && !promise.isDone()) {
            ctx.close(promise);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.outbox.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        if (heldClose != null) {
            heldClose.trySuccess();
        }
        lifecycle.closed(connection);
        ctx.fireChannelInactive();
    }

    /**
     * The end of the pipeline for errors (Micronaut's WebSocket handler is taken out after the
     * upgrade): a dropped client is closed quietly; a protocol violation was already answered by
     * Netty's frame decoder (1002, or 1009 past Netty's own size limit), which closes the socket;
     * anything else closes with 1011.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{} dropped: {}", connection, cause.toString());
            ctx.close();
        } else if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // Netty's decoder has written its close frame and asked for the close, which is held
            // back like ours; it discards the rest of the input.
            int code = corrupted.closeStatus().code();
            LOG.debug("{} broke the WebSocket protocol: {}", connection, cause.toString());
            if (connection.reportClose(code == CloseCodes.TOO_BIG ? RefusalReason.FRAME_TOO_BIG : RefusalReason.BAD_FRAME,
                    code, "frame refused by the decoder")) {
                connection.outbox.closedElsewhere(code);
            }
        } else if (isInflatedTooBig(cause)) {
            LOG.debug("{} sent a message that inflates past the frame limit: {}", connection, cause.toString());
            refuse(RefusalReason.FRAME_TOO_BIG, CloseCodes.TOO_BIG, "message larger than " + maxFrameBytes + " bytes once inflated");
        } else {
            LOG.warn("unexpected error on {}; closing it with 1011", connection, cause);
            connection.closeNow(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    /** permessage-deflate's inflater stops at its allocation limit (see {@link CompressionSwitch}). */
    private static boolean isInflatedTooBig(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DecompressionException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
    }
}
