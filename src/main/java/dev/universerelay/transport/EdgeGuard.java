package dev.universerelay.transport;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one accepted TCP connection from accept until it has upgraded to a WebSocket (then it
 * leaves the pipeline) or closed, right behind Netty's HTTP codec:
 * <ul>
 * <li>admits it against the pending cap of its TCP peer address ({@link PendingConnections}), or
 * closes it at once;</li>
 * <li>closes it when it has neither been answered 101 nor sent a whole first plain request within
 * the handshake deadline (silent sockets, headers sent one byte at a time);</li>
 * <li>on a plain HTTP keep-alive connection, closes it when its next request has not arrived whole
 * within the HTTP idle timeout of the last answer (bytes that trickle in do not count);</li>
 * <li>answers every refusal of a WebSocket request (any path under {@code /ws/}, any
 * {@code Upgrade} request, and any request Netty could not decode) and every 413, 414 or 431
 * with {@code Connection: close}, and closes the connection once that answer is flushed.</li>
 * </ul>
 * All its state is touched on the connection's event loop only.
 */
final class EdgeGuard extends ChannelDuplexHandler {
    static final String NAME = "relay-edge-guard";

    private final PendingConnections pending;
    private final Refusals refusals;
    private final EdgeConfiguration config;
    private final String peer;
    private final boolean capped;
    /** One entry per request whose answer has not started: whether that answer must close the connection. */
    private final ArrayDeque<Boolean> closeAfterAnswer = new ArrayDeque<>();
    private boolean admitted;
    private boolean handshaking = true;
    private boolean released;
    private boolean upgradeRequested;
    /** A request has started (its head is read) but its last content has not arrived. */
    private boolean requestIncomplete;
    private boolean answeringUpgrade;
    private boolean answeringWithClose;
    private ScheduledFuture<?> timer;
    private RefusalReason timerReason;

    EdgeGuard(PendingConnections pending, Refusals refusals, EdgeConfiguration config, String peer, boolean capped) {
        this.pending = pending;
        this.refusals = refusals;
        this.config = config;
        this.peer = peer;
        this.capped = capped;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        int before = pending.admit(peer, capped ? config.maxPendingPerAddress() : Integer.MAX_VALUE);
        if (before < 0) {
            refusals.refuse(RefusalReason.PENDING_CONNECTIONS, peer,
                    "pending=" + config.maxPendingPerAddress() + " closed at accept");
            ctx.close();
            return;
        }
        admitted = true;
        arm(ctx, RefusalReason.HANDSHAKE_TIMEOUT, config.handshakeTimeout().toMillis());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (admitted && !released) {
            released = true;
            pending.release(peer, handshaking);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            upgradeRequested = isUpgrade(request);
            requestIncomplete = true;
            closeAfterAnswer.add(upgradeRequested || request.uri().startsWith("/ws/")
                    || request.decoderResult().isFailure());
        }
        if (msg instanceof LastHttpContent) {
            requestIncomplete = false;
        }
        if (msg instanceof LastHttpContent && !closeAfterAnswer.isEmpty()) {
            if (upgradeRequested) {
                if (timerReason != RefusalReason.HANDSHAKE_TIMEOUT) {
                    arm(ctx, RefusalReason.HANDSHAKE_TIMEOUT, config.handshakeTimeout().toMillis());
                }
            } else {
                cancelTimer(); // whole: the server works on it now, the answer restarts the clock
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && isFinal(response.status())) {
            Boolean close = closeAfterAnswer.poll();
            answeringUpgrade = response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            answeringWithClose = !answeringUpgrade && (Boolean.TRUE.equals(close) || isTooLarge(response.status()));
            // No longer in its handshake from the moment its answer is written, not when the write
            // completes: a client may read the 101 (or the login answer) and send its next
            // handshake before this loop runs the write's listeners, and a 101'd connection is
            // already counted as a relay connection, so it must not count twice meanwhile.
            leaveHandshake();
            if (answeringWithClose) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            if (answeringUpgrade) {
                promise.addListener(f -> {
                    if (f.isSuccess()) {
                        upgraded(ctx);
                    }
                });
            } else if (answeringWithClose) {
                promise.addListener(ChannelFutureListener.CLOSE);
            } else {
                promise.addListener(f -> answered(ctx));
            }
        }
        super.write(ctx, msg, promise);
    }

    private void leaveHandshake() {
        if (handshaking && admitted && !released) {
            handshaking = false;
            pending.answered(peer);
        }
    }

    private void answered(ChannelHandlerContext ctx) {
        // the next request must arrive whole within the idle timeout, unless it already has and
        // waits for its answer (which arms the clock again)
        if ((closeAfterAnswer.isEmpty() || requestIncomplete) && ctx.channel().isActive()) {
            arm(ctx, RefusalReason.HTTP_IDLE, config.httpIdleTimeout().toMillis());
        }
    }

    private void upgraded(ChannelHandlerContext ctx) {
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this); // handlerRemoved releases the pending slot
        }
    }

    private void arm(ChannelHandlerContext ctx, RefusalReason reason, long millis) {
        cancelTimer();
        timerReason = reason;
        timer = ctx.executor().schedule(() -> expire(ctx, reason), millis, TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx, RefusalReason reason) {
        if (ctx.channel().isActive()) {
            refusals.refuse(reason, peer, reason == RefusalReason.HANDSHAKE_TIMEOUT
                    ? "no upgrade or whole request within " + config.handshakeTimeout()
                    : "no whole request within " + config.httpIdleTimeout() + " of the last answer");
            ctx.close();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            timerReason = null;
        }
    }

    private static boolean isFinal(HttpResponseStatus status) {
        return status.codeClass() != HttpStatusClass.INFORMATIONAL
                || status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    }

    /** A request over a size limit: what is left of it on the wire is not worth reading. */
    private static boolean isTooLarge(HttpResponseStatus status) {
        int code = status.code();
        return code == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()
                || code == HttpResponseStatus.REQUEST_URI_TOO_LONG.code()
                || code == HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.code();
    }

    private static boolean isUpgrade(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.UPGRADE);
    }
}
