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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 */
final class WebSocketFrameReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "relay-frame-reader";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameReader.class);

    private final Connection connection;
    private final ClientFrameHandler handler;
    private final ConnectionLifecycle lifecycle;
    private final int maxFrameBytes;
    private final RelayMetrics metrics;
    private CompositeByteBuf fragments;
    private boolean fragmentsAreText;

    WebSocketFrameReader(Connection connection, ClientFrameHandler handler, ConnectionLifecycle lifecycle, int maxFrameBytes,
                         RelayMetrics metrics) {
        this.connection = connection;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.maxFrameBytes = maxFrameBytes;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        connection.lastSeenNanos = System.nanoTime();
        try {
            read(ctx, frame);
        } finally {
            frame.release();
        }
    }

    private void read(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            data(frame.content(), frame instanceof TextWebSocketFrame, frame.isFinalFragment());
        } else if (frame instanceof ContinuationWebSocketFrame more) {
            continuation(more);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            connection.clientCloseCode = code;
            connection.outbox.closeNow(code > 0 ? code : CloseCodes.NORMAL, "");
        } else if (!(frame instanceof PongWebSocketFrame)) { // a pong only resets the idle timer
            connection.closeNow(CloseCodes.UNSUPPORTED_DATA, "unsupported frame");
        }
    }

    private void data(ByteBuf content, boolean text, boolean last) {
        if (fragments != null) {
            connection.closeNow(CloseCodes.POLICY_VIOLATION, "new message before the last one ended");
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
        }
    }

    private void continuation(ContinuationWebSocketFrame more) {
        if (fragments == null) {
            connection.closeNow(CloseCodes.POLICY_VIOLATION, "continuation without a first fragment");
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

    private boolean tooBig(int bytes) {
        if (bytes <= maxFrameBytes) {
            return false;
        }
        releaseFragments();
        connection.closeNow(CloseCodes.TOO_BIG, "frame larger than " + maxFrameBytes + " bytes");
        return true;
    }

    private void process(ByteBuf content, boolean text) {
        if (connection.player == null || connection.isClosing()) {
            return;
        }
        metrics.bytesReceived(content.readableBytes());
        DecodedFrame decoded;
        if (text != (connection.wire == WireFormat.JSON)) {
            decoded = DecodedFrame.undecodable(connection.wire.subprotocol() + " expects "
                    + (connection.wire == WireFormat.JSON ? "text" : "binary") + " frames");
        } else if (text) {
            if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
                connection.closeNow(CloseCodes.INVALID_PAYLOAD, "text frame is not valid UTF-8");
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
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            LOG.debug("{} broke the WebSocket protocol: {}", connection, cause.toString());
        } else {
            LOG.warn("unexpected error on {}; closing it with 1011", connection, cause);
            connection.closeNow(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
    }
}
