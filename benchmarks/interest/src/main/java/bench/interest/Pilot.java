package bench.interest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One player: one binary connection and one ship flying through the field. On {@code welcome}
 * it sends its view around its start point and spawns its ship there; then it moves at the
 * configured rate, turning a little at random and bouncing off the walls, and sends its view
 * again around its ship every {@code --view-every} seconds (in the same frame as a move).
 *
 * <p>Latency: each move carries a sequence number in the fractional bits of its position
 * ({@code x = floor(x) + (seq & 63) / 64}, {@code y = floor(y) + (seq >> 6) / 64}, exact in float32
 * below 2^17), and its send time is kept per sequence. A receiver looks the sender up by entity id.
 * Loss: per entity it is shown, a receiver remembers the last sequence; a jump over sequences
 * while the entity stayed shown counts the skipped ones as missed (the relay coalesces velocities
 * for slow readers; that shows up here).
 */
final class Pilot extends ChannelInboundHandlerAdapter {
    static final int SEQS = 4096;
    private static final Pattern YOU = Pattern.compile("\"you\":(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");

    final Loop loop;
    final int index;
    final int ref;
    final long[] sendNanos = new long[SEQS];
    final IntIntMap shown = new IntIntMap();
    private final Field field;
    private final SplittableRandom random;
    String token;
    Channel ch;
    volatile boolean started;
    boolean welcomed, ready, closed, failed, counted;
    int closeCode = -1;
    String failReason;
    long you = -1;
    int entityId = -1;

    double x, y, heading;
    private long lastMoveNanos;
    private long nextViewNanos;
    private int seq;

    /** {@code random}: this pilot's own stream, split from the run's seeded one. */
    Pilot(Loop loop, int index, Field field, SplittableRandom random) {
        this.loop = loop;
        this.index = index;
        this.ref = index + 1;
        this.field = field;
        this.random = random;
        this.x = (random.nextDouble() * 2 - 1) * field.halfWidth;
        this.y = (random.nextDouble() * 2 - 1) * field.halfHeight;
        this.heading = random.nextDouble() * 2 * Math.PI;
    }

    // ---------------------------------------------------------------- connection events

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) fail("handshake_timeout");
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed) fail("exception:" + cause.getClass().getSimpleName() + ":" + cause.getMessage());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (welcomed) loop.bench.closeSeen(closeCode < 0 ? 1006 : closeCode);
        if (!counted) fail("closed_before_ready");
    }

    void fail(String reason) {
        if (counted) return;
        counted = true;
        failed = true;
        failReason = reason;
        loop.bench.pilotDone(this);
        if (ch != null) ch.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            long now = System.nanoTime();
            boolean window = loop.inWindow(now);
            if (msg instanceof BinaryWebSocketFrame) {
                ByteBuf b = ((BinaryWebSocketFrame) msg).content();
                if (window) {
                    loop.framesWindow++;
                    loop.bytesWindow += b.readableBytes();
                }
                onBinary(b, now, window);
            } else if (msg instanceof TextWebSocketFrame) {
                ByteBuf b = ((TextWebSocketFrame) msg).content();
                if (window) {
                    loop.framesWindow++;
                    loop.bytesWindow += b.readableBytes();
                    loop.controlWindow++;
                }
                onText(b.toString(StandardCharsets.UTF_8));
            } else if (msg instanceof CloseWebSocketFrame) {
                closeCode = ((CloseWebSocketFrame) msg).statusCode();
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---------------------------------------------------------------- receiving

    private void onText(String text) {
        if (!welcomed && text.startsWith("{\"t\":\"welcome\"")) {
            onWelcome(text);
        } else if (text.contains("\"t\":\"error\"")) {
            Matcher m = CODE.matcher(text);
            while (m.find()) loop.error(m.group(1));
        }
    }

    private void onWelcome(String text) {
        welcomed = true;
        Matcher you = YOU.matcher(text);
        if (you.find()) this.you = Long.parseLong(you.group(1));
        int entities = text.indexOf("\"entities\":[");
        int limits = text.indexOf("],\"limits\"", Math.max(0, entities));
        if (entities >= 0 && limits > entities) {
            Matcher id = ID.matcher(text).region(entities, limits);
            while (id.find()) shown.put(Integer.parseInt(id.group(1)), -1);
        }
        // the view first (so that the spawn's appeared already follows it), then the ship
        ByteBuf buf = ch.alloc().buffer(13 + 23);
        writeView(buf);
        buf.writeByte(0x11).writeIntLE(ref).writeShortLE(1)
                .writeFloatLE((float) x).writeFloatLE((float) y).writeFloatLE(vx()).writeFloatLE(vy());
        ch.writeAndFlush(new BinaryWebSocketFrame(buf), ch.voidPromise());
    }

    private void onBinary(ByteBuf b, long now, boolean window) {
        int i = b.readerIndex();
        int end = b.writerIndex();
        long[] counts = loop.eventsWindow;
        while (i < end) {
            int type = b.getByte(i);
            if (type == 0x02 && i + 25 <= end) {
                if (window) counts[2]++;
                onVelocity((int) b.getUnsignedIntLE(i + 1), b.getFloatLE(i + 5), b.getFloatLE(i + 9), now);
                i += 25;
            } else if (type == 0x01 && i + 35 <= end) {
                if (window) counts[1]++;
                onAppeared((int) b.getUnsignedIntLE(i + 1), b.getUnsignedIntLE(i + 5), b.getUnsignedIntLE(i + 31));
                i += 35;
            } else if (type == 0x04 && i + 5 <= end) {
                if (window) counts[4]++;
                shown.remove((int) b.getUnsignedIntLE(i + 1));
                i += 5;
            } else if (type == 0x03 && i + 9 <= end) {
                if (window) counts[3]++;
                shown.remove((int) b.getUnsignedIntLE(i + 1));
                i += 9;
            } else {
                loop.protocolErrors++;
                return;
            }
        }
    }

    private void onAppeared(int id, long owner, long r) {
        if (owner == you && r == ref) {
            if (entityId < 0) {
                entityId = id;
                loop.bench.register(id, this);
                ready = true;
                counted = true;
                lastMoveNanos = System.nanoTime();
                loop.bench.pilotDone(this);
            }
            return;
        }
        if (owner != you) shown.put(id, -1);
    }

    private void onVelocity(int id, float vxSeqX, float vxSeqY, long now) {
        int last = shown.get(id);
        if (last == IntIntMap.ABSENT) {
            loop.velocityNotShown++;
            return;
        }
        Pilot sender = loop.bench.sender(id);
        if (sender == null) {
            loop.unmatched++;
            return;
        }
        int s = decodeSeq(vxSeqX, vxSeqY);
        long sent = sender.sendNanos[s];
        if (sent == 0) {
            loop.unmatched++;
            return;
        }
        if (last >= 0) {
            if (s <= last) {
                loop.lateOrDuplicate++;
                return;
            }
            for (int skipped = last + 1; skipped < s; skipped++) {
                if (loop.inWindow(sender.sendNanos[skipped])) loop.missedWindow++;
            }
        }
        shown.put(id, s);
        if (loop.inWindow(sent)) {
            loop.deliveredWindow++;
            loop.latency.recordValue(Math.min(Math.max(1, (now - sent) / 1000), 60_000_000L));
        }
    }

    static int decodeSeq(float x, float y) {
        int low = (int) Math.round((x - Math.floor(x)) * 64) & 63;
        int high = (int) Math.round((y - Math.floor(y)) * 64) & 63;
        return low | high << 6;
    }

    static float encode(double position, int sixBits) {
        return (float) (Math.floor(position) + sixBits / 64.0);
    }

    // ---------------------------------------------------------------- sending

    private float vx() {
        return (float) (loop.bench.cfg.speed * Math.cos(heading));
    }

    private float vy() {
        return (float) (loop.bench.cfg.speed * Math.sin(heading));
    }

    private void writeView(ByteBuf buf) {
        buf.writeByte(0x15).writeFloatLE((float) x).writeFloatLE((float) y).writeFloatLE((float) loop.bench.cfg.viewRadius);
    }

    /** Called by the loop's ticker at this pilot's slot. */
    void sendMove(long now) {
        if (!ready || closed || seq >= SEQS) return;
        double dt = (now - lastMoveNanos) / 1e9;
        lastMoveNanos = now;
        x += vx() * dt;
        y += vy() * dt;
        heading += (random.nextDouble() - 0.5) * 0.6;
        if (Math.abs(x) > field.halfWidth) { // bounce
            x = Math.signum(x) * (2 * field.halfWidth - Math.abs(x));
            heading = Math.PI - heading;
        }
        if (Math.abs(y) > field.halfHeight) {
            y = Math.signum(y) * (2 * field.halfHeight - Math.abs(y));
            heading = -heading;
        }
        int s = seq++;
        boolean view = now >= nextViewNanos;
        ByteBuf buf = ch.alloc().buffer(view ? 34 : 21);
        buf.writeByte(0x12).writeIntLE(entityId).writeFloatLE(encode(x, s & 63)).writeFloatLE(encode(y, s >> 6))
                .writeFloatLE(vx()).writeFloatLE(vy());
        if (view) {
            writeView(buf);
            nextViewNanos = now + (long) (loop.bench.cfg.viewEvery * 1e9);
        }
        sendNanos[s] = now;
        loop.movesTotal++;
        if (loop.inWindow(now)) {
            loop.movesWindow++;
            if (view) loop.viewsWindow++;
        }
        ch.writeAndFlush(new BinaryWebSocketFrame(buf), ch.voidPromise());
    }
}
