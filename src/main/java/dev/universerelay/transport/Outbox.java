package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Everything waiting to be written to one connection. Any thread may add (universes enqueue while
 * holding their lock, so this never blocks); only the channel's event loop writes. Whatever piled
 * up between two flushes leaves in as few frames as possible, so batching grows with load.
 *
 * <p>A reader that cannot keep up (its channel is not writable) gets its {@code velocity} events
 * coalesced: a newer state of an entity replaces the queued older one, which is safe because
 * states are absolute. {@code appeared}, {@code destroyed} and control messages are never dropped;
 * when they alone push the queue past {@code maxPendingBytes}, the connection is closed with 1013.
 */
final class Outbox {
    /** Largest batched frame; keeps frames within what common clients accept by default. */
    static final int MAX_BATCH_BYTES = 16 * 1024;
    /** How long a close frame may take to leave before the socket is closed anyway. */
    private static final long CLOSE_TIMEOUT_MILLIS = 2000;
    /** Marks an event that is not a velocity (never coalesced). */
    static final long NOT_A_VELOCITY = -1;

    private enum Kind { BINARY_EVENT, JSON_EVENT, CONTROL, CLOSE }

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;

    /** One queued message; a coalesced velocity is taken back before it is written. */
    private static final class Item {
        private static final AtomicIntegerFieldUpdater<Item> STATE = AtomicIntegerFieldUpdater.newUpdater(Item.class, "state");
        final Kind kind;
        final byte[] bytes;
        final int closeCode;
        final String reason;
        volatile int state = QUEUED;

        Item(Kind kind, byte[] bytes, int closeCode, String reason) {
            this.kind = kind;
            this.bytes = bytes;
            this.closeCode = closeCode;
            this.reason = reason;
        }

        /** Claims the item, for the writer or for coalescing; only one of them wins. */
        boolean take() {
            return STATE.compareAndSet(this, QUEUED, TAKEN);
        }

        int size() {
            return bytes == null ? 0 : bytes.length;
        }
    }

    private final Channel channel;
    private final int maxPendingBytes;
    private final Runnable onOverflow;
    private final Runnable onCoalesced;
    private final java.util.function.IntConsumer onWritten;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicInteger pendingBytes = new AtomicInteger();
    private final LoopFlusher flusher;
    /** Queued velocities by entity id, kept only while the channel is congested. */
    private Map<Long, Item> queuedVelocities;
    private volatile boolean closing;
    private volatile int closeCode = -1;

    Outbox(Channel channel, int maxPendingBytes, long flushIntervalMicros, Runnable onOverflow, Runnable onCoalesced,
           java.util.function.IntConsumer onWritten) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
        this.onOverflow = onOverflow;
        this.onCoalesced = onCoalesced;
        this.onWritten = onWritten;
        this.flusher = LoopFlusher.of(channel.eventLoop(), flushIntervalMicros);
    }

    /** Queues a delta event; {@code velocityOf} is the entity id of a velocity, else {@link #NOT_A_VELOCITY}. */
    void event(byte[] bytes, boolean binary, long velocityOf) {
        Item item = new Item(binary ? Kind.BINARY_EVENT : Kind.JSON_EVENT, bytes, 0, null);
        if (velocityOf != NOT_A_VELOCITY && !channel.isWritable()) {
            coalesce(velocityOf, item);
        }
        add(item);
    }

    void control(byte[] json) {
        add(new Item(Kind.CONTROL, json, 0, null));
    }

    /** Takes back the queued older state of the entity, if any, before the newer one is queued. */
    private synchronized void coalesce(long entityId, Item newer) {
        if (queuedVelocities == null) {
            queuedVelocities = new HashMap<>();
        }
        Item older = queuedVelocities.put(entityId, newer);
        if (older != null && older.take()) {
            pendingBytes.addAndGet(-older.size());
            onCoalesced.run();
        }
    }

    /** Forgets the congestion index once everything queued has been written. */
    private synchronized void congestionOver() {
        if (queue.isEmpty()) {
            queuedVelocities = null;
        }
    }

    /** Closes after everything queued so far has been written; later messages are dropped. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeCode = code;
        queue.add(new Item(Kind.CLOSE, null, code, reason));
        scheduleFlush();
    }

    /** Drops what is queued and closes at once (for readers that fell too far behind). */
    void closeNow(int code, String reason) {
        closing = true;
        if (closeCode < 0) {
            closeCode = code;
        }
        queue.clear();
        pendingBytes.set(0);
        queue.add(new Item(Kind.CLOSE, null, code, reason));
        scheduleFlush();
    }

    /** The close code this connection was closed with, by either side; -1 while none. */
    int closeCode() {
        return closeCode;
    }

    boolean isClosing() {
        return closing;
    }

    /** Bytes queued and not yet handed to the channel. */
    int pendingBytes() {
        return pendingBytes.get();
    }

    private void add(Item item) {
        if (closing) {
            return;
        }
        queue.add(item);
        if (pendingBytes.addAndGet(item.size()) > maxPendingBytes) {
            onOverflow.run();
            return;
        }
        scheduleFlush();
    }

    /** Called when the channel became writable again. */
    void resume() {
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            flusher.request(this);
        }
    }

    /** Writes what is queued, as far as the channel takes it; runs on the channel's event loop. */
    void flush() {
        flushScheduled.set(false);
        if (!channel.isActive()) {
            queue.clear();
            pendingBytes.set(0);
            return;
        }
        int written = 0;
        Item item = peekLive();
        while (item != null && (channel.isWritable() || item.kind == Kind.CLOSE)) {
            switch (item.kind) {
                case CLOSE -> {
                    queue.clear();
                    channel.writeAndFlush(new CloseWebSocketFrame(item.closeCode, item.reason))
                            .addListener(ChannelFutureListener.CLOSE);
                    channel.eventLoop().schedule((Runnable) channel::close, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
                case CONTROL -> {
                    queue.poll();
                    if (item.take()) {
                        pendingBytes.addAndGet(-item.size());
                        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(item.bytes)));
                        written += item.size();
                    }
                }
                case BINARY_EVENT -> written += write(new BinaryWebSocketFrame(drainBatch(Kind.BINARY_EVENT)));
                case JSON_EVENT -> written += write(new TextWebSocketFrame(drainBatch(Kind.JSON_EVENT)));
            }
            item = peekLive();
        }
        if (written > 0) {
            channel.flush();
            onWritten.accept(written);
        }
        if (item == null) {
            congestionOver();
        }
    }

    private int write(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
        int size = frame.content().readableBytes();
        channel.write(frame);
        return size;
    }

    /** The first queued item that was not coalesced away, dropping taken ones from the head. */
    private Item peekLive() {
        Item item = queue.peek();
        while (item != null && item.state != QUEUED) {
            queue.poll();
            item = queue.peek();
        }
        return item;
    }

    /** Takes consecutive events of one kind off the queue into one frame's payload. */
    private ByteBuf drainBatch(Kind kind) {
        ByteBuf out = channel.alloc().buffer(256);
        boolean json = kind == Kind.JSON_EVENT;
        int count = 0;
        Item item = peekLive();
        while (item != null && item.kind == kind && (count == 0 || out.readableBytes() + item.size() < MAX_BATCH_BYTES)) {
            queue.poll();
            if (item.take()) {
                pendingBytes.addAndGet(-item.size());
                if (json) {
                    out.writeByte(count == 0 ? '[' : ',');
                }
                out.writeBytes(item.bytes);
                count++;
            }
            item = peekLive();
        }
        if (json) {
            if (count == 1) {
                out.readerIndex(1); // a single message goes as a plain object
            } else {
                out.writeByte(']');
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "outbox of " + channel + " (" + pendingBytes.get() + " bytes pending)";
    }
}
