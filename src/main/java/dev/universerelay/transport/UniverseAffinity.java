package dev.universerelay.transport;

import dev.universerelay.security.QueryTokenHandover;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an accepted connection to the event loop of its universe ({@link UniverseLoops}) as soon as
 * its handshake request for that universe has been read, before anything else of the server sees the
 * request: Micronaut, the security filter, the upgrade and the relay connection then all live on that
 * loop from the start, and nothing has to follow the socket. Sits right behind Netty's HTTP codec;
 * requests for other paths (the API, the game's files, replays) pass untouched, and so does a handshake
 * already on its universe's loop.
 *
 * <p>The move: what the codec decodes meanwhile (the request's last content, a pipelined request) is
 * held in order, and so is the end of the read; the channel leaves its loop (Netty defers that until the
 * current read is over) and registers with the universe's; there, what was held is passed on as if just
 * read. Reading needs nothing more: Micronaut asks for the next read itself (it keeps auto-read off)
 * once it has seen the end of this one, and a socket registered anew reports data already waiting.
 *
 * <p>Being the first to read a universe handshake, it also moves its token from the query into a
 * header ({@link QueryTokenHandover}), so that the URL Micronaut keeps for the socket's life holds no
 * token.
 */
final class UniverseAffinity extends ChannelInboundHandlerAdapter {
    static final String NAME = "relay-universe-affinity";
    private static final Logger LOG = LoggerFactory.getLogger(UniverseAffinity.class);

    private final Function<Channel, UniverseLoops> loopsOf;
    /** What was read while the connection moves (null when it is not moving), in order; a read's end is {@link #READ_COMPLETE}. */
    private ArrayDeque<Object> held;
    private static final Object READ_COMPLETE = new Object();

    UniverseAffinity(Function<Channel, UniverseLoops> loopsOf) {
        this.loopsOf = loopsOf;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            held.add(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.uri().startsWith(RelayWebSocket.PATH_PREFIX)) {
            QueryTokenHandover.moveToHeader(request);
            EventLoop target = loopOf(ctx.channel(), request.uri());
            if (target != null && target != ctx.channel().eventLoop()) {
                held = new ArrayDeque<>(4);
                held.add(msg);
                move(ctx, target);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held != null) {
            held.add(READ_COMPLETE);
        } else {
            ctx.fireChannelReadComplete();
        }
    }

    /** The loop of the universe a request's path ({@link RelayWebSocket#PATH_PREFIX} and a name) names; null without a name. */
    private EventLoop loopOf(Channel channel, String uri) {
        int end = uri.length();
        for (int i = RelayWebSocket.PATH_PREFIX.length(); i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '/' || c == '#') {
                end = i;
                break;
            }
        }
        if (end == RelayWebSocket.PATH_PREFIX.length()) {
            return null;
        }
        UniverseLoops loops = loopsOf.apply(channel);
        return loops == null ? null : loops.of(uri.substring(RelayWebSocket.PATH_PREFIX.length(), end));
    }

    private void move(ChannelHandlerContext ctx, EventLoop target) {
        Channel channel = ctx.channel();
        ctx.deregister().addListener(left -> {
            if (!left.isSuccess()) {
                giveUp(ctx, left.cause());
                return;
            }
            target.register(channel).addListener(arrived -> {
                if (arrived.isSuccess()) {
                    passHeld(ctx);
                } else {
                    giveUp(ctx, arrived.cause());
                }
            });
        });
    }

    /** On the new loop: passes on what was read meanwhile, in order. */
    private void passHeld(ChannelHandlerContext ctx) {
        ArrayDeque<Object> now = held;
        held = null;
        boolean completed = false;
        for (Object msg = now.poll(); msg != null; msg = now.poll()) {
            if (msg == READ_COMPLETE) {
                ctx.fireChannelReadComplete();
                completed = true;
            } else {
                ctx.fireChannelRead(msg);
                completed = false;
            }
        }
        if (!completed) {
            ctx.fireChannelReadComplete();
        }
    }

    private void giveUp(ChannelHandlerContext ctx, Throwable cause) {
        ArrayDeque<Object> now = held;
        held = null;
        if (now != null) {
            now.forEach(ReferenceCountUtil::release);
        }
        if (ctx.channel().isOpen()) {
            LOG.warn("could not move {} to its universe's event loop; closing it", ctx.channel(), cause);
            ctx.channel().close();
        }
    }
}
